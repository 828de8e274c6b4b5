"""Debian's Chromium driven by Playwright, for the browser tests. Never downloads a browser."""

from __future__ import annotations

import contextlib
import os

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class BrowserMissing(RuntimeError):
    pass


@contextlib.contextmanager
def launch():
    """Chromium at /usr/bin/chromium; a clear error (not a skip) when it or Playwright is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        raise BrowserMissing(f"{CHROMIUM} not found: install Debian's Chromium "
                             "(apt-get install -y chromium); the browser tests never download one")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserMissing("Playwright for Python is missing: pip install -e '.[test]'") from exc
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
