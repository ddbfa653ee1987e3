"""GET /api/v1/orgs/{org}/export on SQLite and PostgreSQL: the plan of examples/small.yaml
(clinic) as a workbook, a zip of CSV files, YAML and JSON, to any member; nothing to others."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from api_support import SMALL, Seeded

from hoshin.planfile import parse_plan, read_plan

pytestmark = pytest.mark.usefixtures("cheap_hashing")

EXPORT = "/api/v1/orgs/clinic/export"
DAY = {"as_of": "2026-06-15"}


def test_the_workbook_carries_the_plan_and_the_engines_numbers(api: Seeded, tmp_path: Path) -> None:
    got = api.client.get(EXPORT, params={"format": "xlsx", **DAY}, headers=api.headers("viewer"))
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="clinic-plan-2026-06-15.xlsx"' in got.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(got.content))
    metrics = {row[0]: row for row in book["Metrics"].iter_rows(min_row=2, values_only=True)}
    # tests/cli/test_check.py: as of 2026-06-15 trained is 10 against 20 (-25%): red
    assert metrics["trained"][-3:] == (10, 20, "red")
    assert book["Metrics"].cell(4, 20).fill.fgColor.rgb == "00FFC7CE"
    (tmp_path / "plan.xlsx").write_bytes(got.content)
    assert read_plan(tmp_path / "plan.xlsx") == read_plan(SMALL)


def test_csv_yaml_and_json(api: Seeded) -> None:
    got = api.client.get(EXPORT, params={"format": "csv", **DAY}, headers=api.headers("ben"))
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    assert 'filename="clinic-plan-2026-06-15.zip"' in got.headers["content-disposition"]
    text = zipfile.ZipFile(io.BytesIO(got.content)).read("People.csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == ["ana", "Ana Lima", "clinic",
                                                     "ana@riverside.example"]  # fmt: skip
    yaml = api.client.get(EXPORT, headers=api.headers("viewer"))
    assert yaml.headers["content-type"].startswith("application/yaml")
    assert parse_plan(yaml.text, "plan.yaml") == read_plan(SMALL)
    json = api.client.get(EXPORT, params={"format": "json"}, headers=api.headers("viewer"))
    assert json.headers["content-type"] == "application/json"
    assert parse_plan(json.text, "plan.json") == read_plan(SMALL)


def test_an_unknown_format_is_422_and_another_organisation_sees_nothing(api: Seeded) -> None:
    wrong = api.client.get(EXPORT, params={"format": "pdf"}, headers=api.headers("viewer"))
    assert wrong.status_code == 422
    assert "format" in str(wrong.json()["detail"])
    assert api.client.get(EXPORT, headers=api.headers("other")).status_code == 404
    assert api.client.get(EXPORT).status_code == 401
