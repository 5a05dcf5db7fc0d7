"""Delivery helpers shared by the HTML pages (pharmacy.web) and the JSON API (pharmacy.api): they translate and
format; they decide nothing."""
