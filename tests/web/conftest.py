"""Browser tests: the app served by waitress in a thread (file SQLite), driven by Debian's Chromium via Playwright."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def live_server(app):
    """The test app on 127.0.0.1:<free port>, sharing the test's database file."""
    from waitress import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the run; skipped cleanly where Debian's chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    # Playwright's wait_for_function evaluates strings, which our CSP (no 'unsafe-eval') forbids: the harness
    # bypasses the policy; tests/security/test_headers.py checks the policy itself.
    context = chromium.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, base_url: str, username: str, password: str = "secret-pass-1") -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base_url}/")
