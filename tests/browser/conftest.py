"""Browser tests: Playwright driving Debian's Chromium against the live server.

The driver and the browser (`playwright`, `browser`) are the whole run's, in tests/conftest.py.
Every test leaves a screenshot of each of its pages in `test-artifacts/` (named `-failed` when
the test failed), and fails if a page threw an uncaught JavaScript error or the browser blocked
something under the Content-Security-Policy. A test's browser is paired as the hall's kiosk K1
and its display D1 (`pair_browser` makes it another kiosk).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Page

from tests.browser.screens import pair_browser
from tests.conftest import ROOT, LiveServer

ARTIFACTS = ROOT / "test-artifacts"
ACTION_TIMEOUT_MS = 10_000
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report: pytest.TestReport = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="module", autouse=True)
def assets_served(live_server: LiveServer) -> None:
    """Fail at once, and say why, when the screens' shared modules cannot load."""
    for path in ("/static/live.js", "/vendor/socket.io.esm.min.js"):
        status = live_server.api("GET", path).status_code
        if status != 200:
            pytest.fail(
                f"GET {path} answers {status}: the screens cannot load their modules. "
                "/static/ belongs to the pages blueprint (build the app with static_folder=None); "
                "/vendor/ needs node_modules (npm ci)."
            )


@pytest.fixture
def context(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[BrowserContext]:
    """A fresh browser profile for one test (its own localStorage), paired as kiosk K1 and
    display D1, screenshotted at the end."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    pair_browser(context, live_server, "K1", "D1")
    errors: list[str] = []
    blocked: list[str] = []
    context.on("page", lambda page: watch_page(page, errors, blocked))
    yield context
    save_screenshots(context, request)
    context.close()
    assert not errors, f"uncaught JavaScript errors: {errors}"
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"


def watch_page(page: Page, errors: list[str], blocked: list[str]) -> None:
    """Collect a page's uncaught errors and what the Content-Security-Policy blocked."""
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """The test's first page."""
    return context.new_page()


def save_screenshots(context: BrowserContext, request: pytest.FixtureRequest) -> None:
    """One PNG per open page, named after the test."""
    reports = request.node.stash.get(REPORTS, {})
    failed = any(report.failed for report in reports.values())
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.nodeid.split("::", 1)[-1])
    module = request.node.module.__name__.rsplit(".", 1)[-1]
    for index, open_page in enumerate(context.pages):
        suffix = f"-{index + 1}" if len(context.pages) > 1 else ""
        stem = f"{module}-{name}{suffix}"
        for stale in (ARTIFACTS / f"{stem}.png", ARTIFACTS / f"{stem}-failed.png"):
            stale.unlink(missing_ok=True)
        path = ARTIFACTS / f"{stem}{'-failed' if failed else ''}.png"
        try:
            open_page.screenshot(path=str(path), timeout=5_000)
        except Error as error:  # a crashed page must not hide the test's own result
            print(f"no screenshot of page {index + 1}: {error}")
