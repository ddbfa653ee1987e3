"""The browser suite: a real ``hoshin serve`` and Debian's Chromium driven by Playwright.

Without /usr/bin/chromium the browser tests are skipped, except under CI=true, where a
skipped browser suite is a failure (as for PostgreSQL in tests/conftest.py); .ci/run
installs Chromium. The database is prepared once with the CLI (web_support.py) and each
server gets a copy: one server for the tests that only read (``server``), on SQLite and on
PostgreSQL, so that each of those tests runs on both; a new one on SQLite for each test
that changes data (``fresh_server``). PostgreSQL is tests/conftest.py's (``pg_admin_url``).
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from sqlalchemy.engine import make_url

from .web_support import (
    BACKENDS,
    CHROMIUM,
    CHROMIUM_ARGS,
    copy_database,
    postgres_database,
    prepare_clinic,
    prepare_database,
    running_server,
    server_log_tail,
)

# The pages are rendered by one process on a 2-core machine that may be busy: give every
# wait twice Playwright's default before a test fails.
expect.set_options(timeout=10_000)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed browser test's report ends with what its server printed last."""
    report = yield
    if report.failed:
        funcargs = getattr(item, "funcargs", {})
        for name in ("server", "fresh_server"):
            base_url = funcargs.get(name)
            tail = server_log_tail(base_url) if isinstance(base_url, str) else None
            if tail is not None:
                report.sections.append((f"hoshin serve ({name}), last lines", tail))
    return report


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's Chromium, or a skip (a failure under CI=true) when it is not installed."""
    if not CHROMIUM.exists():
        message = f"browser tests: no {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """Playwright's driver for the whole session."""
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="session")
def browser(chromium_executable: Path, playwright_driver: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the session; each test gets its own context in it."""
    launched = playwright_driver.chromium.launch(
        executable_path=chromium_executable,
        headless=True,
        args=CHROMIUM_ARGS,
    )
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context (no cookies), 1280x900."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page_without_script(browser: Browser) -> Iterator[Page]:
    """A page whose browser runs no JavaScript: the pickers are plain text fields."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def web_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clinic's database, prepared once with the CLI; servers run on copies of it."""
    return prepare_database(tmp_path_factory.mktemp("web-template"))


@pytest.fixture(scope="session")
def web_postgres_template(pg_admin_url: str) -> Iterator[str]:
    """The clinic's database on PostgreSQL, prepared once with the CLI; its name (servers
    run on copies of it)."""
    with postgres_database(pg_admin_url) as url:
        prepare_clinic(url)
        name = make_url(url).database
        assert name is not None
        yield name


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest,
    chromium_executable: Path,
    web_database: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The base URL of a server shared by the tests that change nothing, on SQLite and on
    PostgreSQL (each such test runs on both)."""
    folder = tmp_path_factory.mktemp(f"web-server-{request.param}")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = copy_database(web_database, folder)
        else:
            admin_url: str = request.getfixturevalue("pg_admin_url")
            template: str = request.getfixturevalue("web_postgres_template")
            url = stack.enter_context(postgres_database(admin_url, template=template))
        yield stack.enter_context(running_server(url, folder / "server.log"))


@pytest.fixture
def fresh_server(chromium_executable: Path, web_database: Path, tmp_path: Path) -> Iterator[str]:
    """The base URL of a server on a new copy of the database, for a test that changes it."""
    with running_server(copy_database(web_database, tmp_path), tmp_path / "server.log") as url:
        yield url
