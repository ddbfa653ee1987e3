"""What `pip install hoshin && hoshin setup --demo && hoshin serve` gives: the same pages as
`make run`, every file they ask for served from the installed wheel (none from the checkout's
node_modules or src/), no 404 in any page's requests and no script error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Response

from wheel_support import build_wheel, install_wheel

from .web_support import running_server, screenshot, sign_in

DEMO_ADMIN = "admin@demo.example"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a clean copy of the sources and installed into a folder."""
    wheel = build_wheel(tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel"))
    return install_wheel(wheel, tmp_path_factory.mktemp("site"))


def _run_installed(site: Path, database_url: str, *args: str) -> str:
    """``python ARGS`` run with the installed wheel's folder first on the path."""
    done = subprocess.run(
        [sys.executable, *args],
        env={**os.environ, "PYTHONPATH": str(site), "HOSHIN_DATABASE_URL": database_url},
        cwd=site.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def demo_server(
    installed: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """``hoshin setup --demo`` then ``hoshin serve``, both from the installed wheel; yields the
    server's base URL and the demo admin's password that setup printed."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'hoshin.db'}"
    where = _run_installed(installed, url, "-c", "import hoshin; print(hoshin.__file__)")
    assert Path(where.strip()).is_relative_to(installed), where
    printed = _run_installed(installed, url, "-m", "hoshin", "setup", "--demo")
    found = re.search(rf"sign in as {re.escape(DEMO_ADMIN)} with password (\S+)", printed)
    assert found, printed
    with running_server(url, folder / "serve.log", env={"PYTHONPATH": str(installed)}) as base:
        yield base, found.group(1)


def test_the_installed_package_serves_every_page_and_its_files(
    browser: Browser, demo_server: tuple[str, str]
) -> None:
    base_url, password = demo_server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    failed: list[str] = []
    errors: list[str] = []

    def note_failure(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    def note_error(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("response", note_failure)
    page.on("console", note_error)
    sign_in(page, base_url, DEMO_ADMIN, password)
    links = page.locator("nav[aria-label='Main'] a")
    pages = [link.get_attribute("href") or "" for link in links.all()]
    assert len(pages) >= 10, pages  # true north ... plan, admin
    page.goto(base_url + pages[0])
    objective = page.locator("a[href*='/objectives/']").first.get_attribute("href")
    assert objective
    for path in [*pages, objective, "/api/docs"]:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    screenshot(page, "installed-package-api-docs")
    page.goto(base_url + objective)
    page.wait_for_load_state("networkidle")
    screenshot(page, "installed-package-objective")
    assert failed == []
    assert errors == []
    # the page's own files came from the wheel: htmx is loaded and working
    assert page.evaluate("typeof htmx") == "object"
    # the documents' templates, fonts and styles came with it too: each download is whole
    documents = {
        objective + "/a3.pdf": b"%PDF",
        "/orgs/demo/summary.pdf": b"%PDF",
        "/orgs/demo/x-matrix.pdf": b"%PDF",
        "/orgs/demo/plan/export.xlsx": b"PK",  # a workbook is a zip
    }
    for path, start in documents.items():
        answer = page.request.get(base_url + path)
        assert answer.status == 200, f"{path}: {answer.status} {answer.text()[:300]}"
        assert answer.body().startswith(start), path
    # the assistant: the model (from its packages), the catalogue and its vectors (the
    # wheel's) answer a question, and the current position page is served
    answer = page.request.get(base_url + "/orgs/demo/assist?q=warranty+claims+per+pump")
    assert answer.status == 200, answer.text()[:300]
    assert "Warranty claims per 1,000 units" in answer.text()
    assert page.request.get(base_url + "/orgs/demo/situation").status == 200
    page.close()
