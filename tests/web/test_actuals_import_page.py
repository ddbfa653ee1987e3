"""The page that imports a spreadsheet of actuals: upload, preview, save; without
JavaScript, in a browser at 1280 and 390 px, and its answers on both databases.

examples/small.yaml as clinic: falls 2026-03..05 = 27, 25, 22 (B1, ana's); huddles
2026-04..05 = 45, 60 and trained 2026-04..05 = 8, 10 (ben's, of ward-a)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from .web_support import ADMIN, clinic_pages, fits_the_width, screenshot, sign_in, signed_in_as

URL = "/orgs/clinic/check-in/import"
USERS = {"admin": ("admin", None), "ben": ("contributor", "ben"), "viewer": ("viewer", None)}
JUNE_FILE = (
    "metric,month,value,note\nfalls,2026-06,19,alarms\nfalls,2026-05,21,\nhuddles,2026-05,60,\n"
)


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    with clinic_pages(engine, USERS) as client:
        yield client


def upload(client: TestClient, text: str, name: str = "june.csv") -> Any:
    return client.post(URL, files={"file": (name, text.encode(), "text/csv")})


def hidden_rows(html: str) -> list[str]:
    return re.findall(r'name="rows" value="([^"]*)"', html)


def test_preview_then_save_records_the_rows(pages: TestClient) -> None:
    signed_in_as(pages, "admin")
    preview = pages.post(URL, files={"file": ("june.csv", JUNE_FILE.encode(), "text/csv")})
    assert preview.status_code == 200
    # falls 2026-06 new, falls 2026-05 22 -> 21 a correction, huddles 2026-05 60 unchanged.
    assert "1 new, 1 correction of a value already entered, 1 unchanged" in preview.text
    assert "Save 2 check-ins" in preview.text and "Patient falls per month" in preview.text
    rows = "".join(html.unescape(piece) for piece in hidden_rows(preview.text))
    save = f"{URL}/save"
    # Without the box ticked, the correction is refused and nothing is saved.
    refused = pages.post(save, data={"name": "june.csv", "rows": rows})
    assert refused.status_code == 422
    assert "2026-05 already has 22 for falls; tick" in refused.text
    assert pages.get("/api/v1/orgs/clinic/metrics/falls/actuals/2026-06").status_code == 404
    saved = pages.post(save, data={"name": "june.csv", "rows": rows, "correct": "yes"})
    assert saved.status_code == 200
    assert "Recorded 2 actuals: 1 new, 1 corrected; 1 unchanged." in saved.text
    june = pages.get("/api/v1/orgs/clinic/metrics/falls/actuals/2026-06").json()
    may = pages.get("/api/v1/orgs/clinic/metrics/falls/actuals/2026-05").json()
    assert (june["value"], may["value"], may["version"]) == (19.0, 21.0, 2)
    # The same rows again: the preview showed no actual for June, now 19 is stored (the
    # same value: unchanged) and May holds 21 (the same: unchanged): nothing to refuse.
    again = pages.post(save, data={"name": "june.csv", "rows": rows, "correct": "yes"})
    assert "Recorded 0 actuals: 0 new, 0 corrected; 3 unchanged." in again.text


def test_bad_rows_are_listed_with_the_upload_form(pages: TestClient) -> None:
    signed_in_as(pages, "admin")
    answer = upload(pages, "metric,month,value\nM99,2026-06,1\nfalls,2026-13,x\n")
    assert answer.status_code == 422
    assert "june.csv: 3 problems; nothing was saved" in answer.text
    for reason in ("unknown metric &#39;M99&#39;", "&#39;2026-13&#39; is not a month",
                   "&#39;x&#39; is not a number"):  # fmt: skip
        assert reason in answer.text
    assert 'type="file"' in answer.text
    assert upload(pages, "", name="notes.txt").status_code == 422
    tampered = pages.post(f"{URL}/save", data={"name": "x", "rows": "[[1,2]]"})
    assert tampered.status_code == 422 and "not the rows of a preview" in tampered.text


def test_who_may_import(pages: TestClient) -> None:
    signed_in_as(pages, "viewer")
    assert pages.get(URL).status_code == 403
    assert upload(pages, JUNE_FILE).status_code == 403
    signed_in_as(pages, "ben")
    assert pages.get(URL).status_code == 200
    answer = upload(pages, "metric,month,value\nfalls,2026-06,1\ntrained,2026-06,12\n")
    assert answer.status_code == 422
    assert "a contributor cannot record actuals of falls" in answer.text
    pages.cookies.clear()
    assert pages.get(URL, follow_redirects=False).status_code == 303  # to sign in


def test_the_check_in_page_links_to_the_import(pages: TestClient) -> None:
    signed_in_as(pages, "admin")
    assert 'href="/orgs/clinic/check-in/import"' in pages.get("/orgs/clinic/check-in").text


def _flow(page: Page, base_url: str, folder: Path, name: str, *, script: bool = True) -> None:
    """Upload, preview and save from the check-in page's link, as a person would; the width
    is measured where scripts run (fits_the_width waits for animation frames)."""
    page.set_default_timeout(15_000)
    sign_in(page, base_url, ADMIN)
    page.goto(f"{base_url}/orgs/clinic/check-in")
    page.get_by_role("link", name="Import a spreadsheet of actuals").click()
    expect(page.get_by_role("heading", name="Import a spreadsheet of actuals")).to_be_visible()
    screenshot(page, f"{name}-upload")
    path = folder / "june.csv"
    path.write_text(JUNE_FILE, encoding="utf-8")
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check june.csv before saving")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Patient falls per month"))).to_have_count(2)
    assert not script or fits_the_width(page)
    screenshot(page, f"{name}-preview")
    page.get_by_label("Correct values already entered (1)").check()
    page.get_by_role("button", name="Save 2 check-ins").click()
    expect(page.get_by_role("status")).to_have_text(
        "Recorded 2 actuals: 1 new, 1 corrected; 1 unchanged."
    )
    assert not script or fits_the_width(page)
    screenshot(page, f"{name}-saved")
    page.get_by_role("link", name="Back to the check-in").click()
    expect(page).to_have_url(re.compile(r"/orgs/clinic/check-in$"))


def test_upload_preview_and_save_without_javascript(
    fresh_server: str, page_without_script: Page, tmp_path: Path
) -> None:
    _flow(page_without_script, fresh_server, tmp_path, "actuals-import", script=False)


def test_upload_preview_and_save_on_a_phone(
    fresh_server: str, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        _flow(context.new_page(), fresh_server, tmp_path, "phone-actuals-import")
    finally:
        context.close()


def test_the_upload_form_proves_itself_with_its_token_field(pages: TestClient) -> None:
    signed_in_as(pages, "admin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', pages.get(URL).text)
    assert token is not None
    pages.event_hooks = {"request": [], "response": []}  # no X-CSRF-Token header: the form's
    files = {"file": ("june.csv", JUNE_FILE.encode(), "text/csv")}
    assert pages.post(URL, files=files, data={"csrf_token": "forged"}).status_code == 403
    assert pages.post(URL, files=files).status_code == 403
    assert pages.post(URL, files=files, data={"csrf_token": token.group(1)}).status_code == 200
