"""The plan page's Download links (Excel, CSV, YAML) and their routes, without a browser, on
SQLite and PostgreSQL (examples/small.yaml as clinic): any member downloads the plan as the
page's day shows it; strangers see nothing."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.planfile import parse_plan, read_plan

from .web_support import SMALL_PLAN, clinic_pages, signed_in_as

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    """The clinic with an editor and a viewer, neither a person of the plan."""
    users = {"editor": ("editor", None), "viewer": ("viewer", None)}
    with clinic_pages(engine, users) as client:
        yield client


def download_links(page: str) -> dict[str, str]:
    """The plan page's download links: their words -> their hrefs."""
    group = re.search(r'<p class="downloads"[^>]*>(.*?)</p>', page, re.S)
    assert group is not None, "no download group"
    return {
        words: html.unescape(href)
        for href, words in re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', group[1])
    }


def test_the_plan_page_offers_excel_csv_and_yaml_as_of_its_day(pages: TestClient) -> None:
    signed_in_as(pages, "viewer")
    links = download_links(pages.get("/orgs/clinic/plan?as_of=2026-06-15").text)
    assert links == {
        "Excel": "/orgs/clinic/plan/export.xlsx?as_of=2026-06-15",
        "CSV (zip)": "/orgs/clinic/plan/export.zip?as_of=2026-06-15",
        "YAML": "/orgs/clinic/plan/export.yaml?as_of=2026-06-15",
    }
    excel = pages.get(links["Excel"])
    assert excel.status_code == 200
    assert excel.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="clinic-plan-2026-06-15.xlsx"' in excel.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(excel.content))
    targets = book["Targets"]
    # falls: May 2026 is 22 against a plan of 20 (decrease; tests/cli/test_check.py): amber
    may = next(
        row for row in targets.iter_rows(min_row=2)
        if row[0].value == "falls" and row[1].value == datetime.fromisoformat("2026-05-01")
    )  # fmt: skip
    assert (may[2].value, may[3].value, may[4].value) == (20, 22, "amber")
    assert may[1].number_format == "yyyy-mm" and may[3].fill.fgColor.rgb == "00FFEB9C"
    zipped = pages.get(links["CSV (zip)"])
    assert zipped.headers["content-type"] == "application/zip"
    assert "Objectives.csv" in zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    yaml = pages.get(links["YAML"])
    assert 'filename="clinic-plan-2026-06-15.yaml"' in yaml.headers["content-disposition"]
    assert parse_plan(yaml.text, "plan.yaml") == read_plan(SMALL_PLAN)


def test_strangers_see_nothing(pages: TestClient) -> None:
    signed_in_as(pages, "editor")
    assert pages.get("/orgs/other/plan/export.xlsx").status_code == 404
    pages.cookies.clear()
    anonymous = pages.get("/orgs/clinic/plan/export.xlsx", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/signin"
