"""POST /api/v1/orgs/{org}/actuals/import on both databases: examples/small.yaml as clinic,
whose stored actuals are falls 2026-03..05 = 27, 25, 22; huddles 2026-04..05 = 45, 60;
trained 2026-04..05 = 8, 10. ben is a contributor owning huddles and trained (not falls)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from api_support import Seeded, seed
from sqlalchemy import Engine

from hoshin.server import create_server

URL = "/api/v1/orgs/clinic/actuals/import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def api(engine: Engine) -> Seeded:
    return seed(engine)


def upload(
    api: Seeded, who: str, text: str, *, name: str = "june.csv", org: str = "clinic", **query: Any
) -> Any:
    files = {"file": (name, text.encode(), "text/csv")}
    url = URL.replace("clinic", org)
    return api.client.post(url, files=files, params=query, headers=api.headers(who))


def test_the_rows_are_recorded_and_each_change_answered(api: Seeded) -> None:
    text = "metric,month,value,note\nfalls,2026-06,19,alarms fitted\nhuddles,2026-05,60,\n"
    answer = upload(api, "editor", text)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "recorded": True, "new": 1, "corrected": 0, "unchanged": 1,
        "changes": [
            {"row": 2, "metric": "falls", "month": "2026-06", "before": None, "after": 19.0,
             "kind": "new", "note": "alarms fitted"},
            {"row": 3, "metric": "huddles", "month": "2026-05", "before": 60.0, "after": 60.0,
             "kind": "unchanged", "note": ""},
        ],
    }  # fmt: skip
    read = api.client.get("/api/v1/orgs/clinic/metrics/falls/actuals/2026-06",
                          headers=api.headers("editor"))  # fmt: skip
    assert (read.json()["value"], read.json()["version"]) == (19.0, 1)
    history = api.client.get("/api/v1/orgs/clinic/metrics/falls/actuals/2026-06/history",
                             headers=api.headers("editor")).json()  # fmt: skip
    assert [(h["actor"], h["change"]) for h in history] == [("editor@clinic.example", "create")]


def test_bad_rows_are_422_with_row_column_and_reason(api: Seeded) -> None:
    text = "metric,month,value\nM99,2026-06,1\nfalls,2026-05,41\n"
    answer = upload(api, "editor", text, name="a.csv")
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "a.csv: 2 problems; nothing was saved",
        "detail": [
            {"row": 2, "column": "metric", "reason": "unknown metric 'M99'"},
            {"row": 3, "column": "value",
             "reason": "2026-05 already has 22 for falls; send correct=true to replace it"},
        ],
    }  # fmt: skip
    corrected = upload(api, "editor", "metric,month,value\nfalls,2026-05,41\n", correct="true")
    assert corrected.json()["corrected"] == 1
    assert corrected.json()["changes"][0]["before"] == 22.0


def test_a_dry_run_saves_nothing(api: Seeded) -> None:
    answer = upload(api, "admin", "metric,month,value\nfalls,2026-06,19\n", dry_run="true")
    assert (answer.status_code, answer.json()["recorded"], answer.json()["new"]) == (200, False, 1)
    read = api.client.get("/api/v1/orgs/clinic/metrics/falls/actuals/2026-06",
                          headers=api.headers("admin"))  # fmt: skip
    assert read.status_code == 404


def test_roles_and_organisations(api: Seeded) -> None:
    row = "metric,month,value\nfalls,2026-06,19\n"
    assert upload(api, "viewer", row).status_code == 403
    ben = upload(api, "ben", row)
    assert ben.status_code == 422
    assert ben.json()["detail"] == [
        {"row": 2, "column": "metric", "reason": "a contributor cannot record actuals of falls"}
    ]
    assert upload(api, "ben", "metric,month,value\ntrained,2026-06,12\n").status_code == 200
    assert upload(api, "other", row).status_code == 404  # an admin of another organisation
    anonymous = api.client.post(URL, files={"file": ("a.csv", row.encode(), "text/csv")})
    assert anonymous.status_code == 401


def test_a_workbook_upload_known_by_its_media_type(api: Seeded) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["metric", "month", "value"])
    sheet.append(["trained", "2026-06", 12])
    body = io.BytesIO()
    book.save(body)
    files = {"file": ("export", body.getvalue(), XLSX)}  # no suffix: the media type says xlsx
    answer = api.client.post(URL, files=files, headers=api.headers("admin"))
    assert (answer.status_code, answer.json()["new"]) == (200, 1)


def test_a_file_without_the_file_field_or_not_a_spreadsheet(api: Seeded) -> None:
    assert api.client.post(URL, headers=api.headers("admin")).status_code == 422
    answer = upload(api, "admin", "hello", name="notes.txt")
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"row": None, "column": None,
         "reason": "is not a .xlsx or .csv file (its name ends '.txt')"},
    ]  # fmt: skip


def test_a_body_above_the_limit_is_413(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_MAX_BODY_BYTES", "1024")
    served = seed(engine, create_server)
    # 100 rows of "falls,2026-06,19\n" (17 bytes each) is 1,700 bytes: over 1,024.
    answer = upload(served, "admin", "metric,month,value\n" + "falls,2026-06,19\n" * 100)
    assert answer.status_code == 413
    assert answer.json()["error"] == "the request is too large"
