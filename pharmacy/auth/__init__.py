"""Signing in safely: sign-in throttling per (username, address), server-side login sessions, password changes."""
