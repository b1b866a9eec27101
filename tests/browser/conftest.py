"""Browser fixtures: Debian's chromium, driven by Playwright, against the `live` server.

Nothing here downloads a browser: Playwright launches /usr/bin/chromium (scripts/test.sh installs
it). Every page gets a small init script that counts the htmx ws extension's socket events, so a
test can wait until a page is really live (socket open, first snapshot applied) instead of sleeping.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tests.conftest import STRONG_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LIVE_TIMEOUT_MS = 5_000  # how long a pushed change may take to show up on an open page
ACTION_TIMEOUT_MS = 10_000  # page loads, clicks and the log-in round trip

# Runs before any page script, on every navigation (so a reload resets it).
WS_PROBE = """
(() => {
  const probe = window.__ws = {connecting: 0, opened: 0, messages: 0, closed: 0};
  document.addEventListener("htmx:wsConnecting", () => { probe.connecting += 1; });
  document.addEventListener("htmx:wsOpen", () => { probe.opened += 1; });
  document.addEventListener("htmx:wsAfterMessage", () => { probe.messages += 1; });
  document.addEventListener("htmx:wsClose", () => { probe.closed += 1; });
})();
"""


@pytest.fixture(scope="session")
def browser():
    """One headless chromium per test process (each xdist worker launches its own)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: browser tests drive Debian's chromium "
                    "(scripts/test.sh installs it; never `playwright install`)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=LIVE_TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except BaseException:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


def new_page(browser, live):
    """A page in a NEW browser context (its own cookies), relative URLs resolved against `live`."""
    context = browser.new_context(base_url=live.url)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.add_init_script(WS_PROBE)
    page = context.new_page()
    page.js_errors = []  # uncaught exceptions in the page's scripts
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def log_in(page, live, username: str, password: str = STRONG_PASSWORD):
    """Log in through the real /login form; htmx follows HX-Redirect to the home page."""
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Log in").click()
    try:
        page.wait_for_url(f"{live.url}/")
    except Exception:
        errors = page.locator("#login-form .form-error, #login-form .field-error").all_inner_texts()
        raise AssertionError(f"log-in as {username!r} did not redirect home: {errors}") from None
    return page


def logged_in_page(browser, live, username: str, password: str = STRONG_PASSWORD):
    """Open a new context, log in as `username` via the form, return the page (on the home page).

    The caller owns the page's context (`page.context.close()`); the `open_page` fixture closes
    the ones it opens by itself.
    """
    page = new_page(browser, live)
    try:
        return log_in(page, live, username, password)
    except BaseException:
        page.context.close()
        raise


def wait_until_live(page, timeout: int = LIVE_TIMEOUT_MS) -> None:
    """Wait until the page's WebSocket is open and its first snapshot has been swapped in."""
    page.wait_for_function("() => window.__ws && window.__ws.opened > 0 && window.__ws.messages > 0",
                           timeout=timeout)


def settle(live, timeout: float = 10.0) -> None:
    """Wait until the live server's workers are idle: every committed event has been projected
    (and policed, where the app has policies, which may commit further events) and no job is
    queued or running. Two quiet looks in a row, so a job that enqueues another is not missed.
    """
    from sqlalchemy import func, or_, select

    from app.extensions import db, store
    from app.models import Event

    checkpoints = [getattr(Event, name) for name in ("projected_at", "policed_at") if hasattr(Event, name)]
    redis_store = store(live.app)
    queues = [q for q in (redis_store.queue, getattr(redis_store, "policy_queue", None)) if q is not None]
    deadline, quiet = time.monotonic() + timeout, 0
    while True:
        with live.app.app_context():
            pending = db.session.scalar(
                select(func.count()).select_from(Event).where(or_(*(c.is_(None) for c in checkpoints))))
        busy = sum(q.count + q.started_job_registry.count for q in queues)
        quiet = quiet + 1 if not pending and not busy else 0
        if quiet >= 2:
            return
        if time.monotonic() > deadline:
            failed = {q.name: q.failed_job_registry.get_job_ids() for q in queues}
            raise AssertionError(f"the workers are still busy after {timeout}s: {pending} event(s) pending, "
                                 f"{busy} job(s) queued or running; failed jobs: {failed}")
        time.sleep(0.03)


def ws_messages(page) -> int:
    """How many WebSocket messages htmx has applied on this page since it loaded."""
    return page.evaluate("() => window.__ws.messages")


@pytest.fixture
def open_page(browser, live, request):
    """Factory: open_page("alice") -> a logged-in page in its own context; open_page() -> anonymous.

    Contexts are closed after the test; if the test failed, each page's screenshot, URL and
    script errors are saved under test-artifacts/. Then it waits for the live server's workers to
    go idle, so the next test's TRUNCATE does not race jobs this test started (log-ins, likes).
    """
    pages = []

    def open_(username: str | None = None):
        page = new_page(browser, live)
        pages.append((username or "anonymous", page))
        return log_in(page, live, username) if username else page

    yield open_
    report = getattr(request.node, "browser_report_call", None)
    failed = report is not None and report.failed
    for who, page in pages:
        if failed:
            _save_artifacts(request.node.nodeid, who, page)
        try:
            page.context.close()
        except Exception:
            pass
    try:
        settle(live, timeout=5.0)
    except Exception:  # best effort: a test that needs the workers idle settles and asserts itself
        pass


def _save_artifacts(nodeid: str, who: str, page) -> None:
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]) + f"-{who}"
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.txt").write_text(
            f"url: {page.url}\nws probe: {page.evaluate('() => window.__ws')}\n"
            f"script errors: {page.js_errors}\n")
    except Exception:  # the artifacts are a courtesy; never mask the real failure
        pass


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_report_call = report
    return report
