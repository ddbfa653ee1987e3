"""Two `hoshin serve` processes on one database (PostgreSQL, or one SQLite file): every
change made through one is in the next answer of the other, whose analysis was made before
the change (each process brings its analysis up to date from the database).

The plan is examples/small.yaml, whose analysis as of 2026-06-15 is worked out by hand in
tests/cli/test_check.py: falls amber (progress 0.6, planned 2/3), huddles green (0.6 | 0.5),
trained red (0.25 | 0.5); T1 = trained, red; A1 = huddles and T1: 0.425 | 0.5, amber;
B1 = falls and A1: 0.5125 | 7/12, amber; a3 makes B1 13 days late (infeasible_schedule).
Each step below states what changes from there. Besides the hand-computed figures, server
B's whole analysis must equal a full analysis of the stored plan made in this process.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.domain.analysis import analyze
from hoshin.domain.report import report
from hoshin.runtime.sessions import one_session
from hoshin.service import account
from hoshin.service.export import organization_plan
from serving import HOST, hoshin_serve

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
AS_OF = date(2026, 6, 15)
B1_TITLE = "Cut patient falls from 40 to 8 a month by the end of 2027"
A1_TITLE = "Run a daily fall-risk huddle on 100% of ward days in 2026"
runner = CliRunner()


@contextmanager
def serving(url: str, log: Path) -> Iterator[str]:
    """`hoshin serve` (one process) on ``url`` and a free port, until it takes connections;
    yields its API's base URL. Its output goes to ``log``."""
    with hoshin_serve(url, log=log) as (port, _):
        yield f"http://{HOST}:{port}/api/v1/orgs/clinic"


def hoshin(url: str, *args: str, input: str | None = None) -> str:
    """Runs a command in this process against ``url``; its output (it must succeed)."""
    result = runner.invoke(app, list(args), input=input, env={"HOSHIN_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def token(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The organisation clinic with examples/small.yaml, and an API token of its admin."""
    hasher = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account, "password_hash", PasswordHash((hasher,)))
    hoshin(database_url, "org", "create", "clinic", "Riverside Clinic")
    hoshin(database_url, "import", str(SMALL), "--org", "clinic")
    add = ("user", "add", "admin@clinic.example", "--org", "clinic", "--role", "admin")
    hoshin(database_url, *add, "--password-stdin", input="correct horse battery\n")
    return hoshin(database_url, "token", "create", "--user", "admin@clinic.example").strip()


class Servers:
    """Server A, through which the test changes the plan, and server B, through which it
    reads; both as of AS_OF."""

    def __init__(self, a: httpx.Client, b: httpx.Client, url: str) -> None:
        self.a, self.b, self.url = a, b, url

    def change(self, method: str, path: str, body: Any = None, *, read: bool = True) -> None:
        """Changes ``path`` through A: with If-Match, the version A reads now (``read``)."""
        headers = {}
        if read:
            headers["If-Match"] = self.a.get(path).headers["ETag"]
        answer = self.a.request(method, path, json=body, headers=headers)
        assert answer.status_code in (200, 201, 204), answer.text

    def fields(self, path: str) -> dict[str, Any]:
        """The entity at ``path`` as A reads it, as a body to send back: without what only
        a read answers (its version, an objective's metrics and analysis, a metric's
        objective)."""
        found: dict[str, Any] = self.a.get(path).json()
        for answered in ("version", "metrics", "analysis", "objective"):
            found.pop(answered, None)
        return found

    def summary(self) -> dict[str, Any]:
        """B's analysis summary; never one marked stale (the plan is small)."""
        found: dict[str, Any] = self.b.get("/analysis/summary").json()
        assert found["stale"] is False
        return found

    def analysis(self) -> dict[str, Any]:
        """B's whole analysis, checked equal to a full analysis of the stored plan."""
        found: dict[str, Any] = self.b.get("/analysis").json()
        with one_session(self.url, writing=False) as session:
            plan = organization_plan(session, slug="clinic")
        assert rounded(found) == rounded(json.loads(json.dumps(report(plan, analyze(plan, AS_OF)))))
        return found

    def objective(self, key: str) -> dict[str, Any]:
        """An objective with its analysis, as B reads it."""
        found: dict[str, Any] = self.b.get(f"/objectives/{key}").json()
        return found


def rounded(value: Any) -> Any:
    """``value`` with every float rounded to 9 places (sums may differ in the last bits)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


@pytest.fixture
def servers(database_url: str, token: str, tmp_path: Path) -> Iterator[Servers]:
    """Two servers on the test's database, and a client of each with the admin's token."""
    with ExitStack() as stack:
        clients = []
        for name in ("a", "b"):
            base = stack.enter_context(serving(database_url, tmp_path / f"{name}.log"))
            client = httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"},
                params={"as_of": AS_OF.isoformat()}, timeout=60,
            )  # fmt: skip
            clients.append(stack.enter_context(client))
        yield Servers(clients[0], clients[1], database_url)


def counts(**changed: int) -> dict[str, Any]:
    """The summary's counts: the hand-worked plan's (3 objectives, 2 amber, 1 red, all
    aligned) with ``changed``."""
    base = {"objectives": 3, "green": 0, "amber": 2, "red": 1, "no_data": 0, "unmeasured": 0}
    return {**base, "alignment_coverage": 1.0, **changed}


def statuses(analysis: dict[str, Any]) -> dict[str, tuple[str, float | None]]:
    """Each objective's status and progress (rounded to 5 places)."""
    return {
        key: (found["status"], None if found["progress"] is None else round(found["progress"], 5))
        for key, found in analysis["objectives"].items()
    }


def messages(analysis: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(code, subject, message) of each finding."""
    return [(item["code"], item["subject"], item["message"]) for item in analysis["findings"]]


def late(key: str, title: str, days: int, action: str) -> tuple[str, str, str]:
    """The infeasible_schedule finding of an objective ``days`` late, ``action`` critical."""
    return (
        "infeasible_schedule", key,
        f"objective {key} '{title}' is {days} days late on its action plan; critical: {action}",
    )  # fmt: skip


def test_every_change_through_one_server_is_read_through_the_other(servers: Servers) -> None:
    two = servers
    # B analyses the plan before any change: each read below follows a change made since.
    first = two.summary()
    assert (first["summary"], first["findings_by_code"]) == (counts(), {"infeasible_schedule": 1})
    assert statuses(two.analysis()) == {
        "B1": ("amber", 0.5125), "A1": ("amber", 0.425), "T1": ("red", 0.25)
    }  # fmt: skip

    # 1. B1 renamed: its title, and the infeasible_schedule finding that names it.
    b1 = {**two.fields("/objectives/B1"), "title": B1_TITLE}
    two.change("PUT", "/objectives/B1", b1)
    assert two.objective("B1")["title"] == B1_TITLE
    assert messages(two.analysis()) == [late("B1", B1_TITLE, 13, "a3")]

    # 2. A2, annual, supports B1, no metric: unmeasured (left out of B1's roll-up), and
    # two findings: no metric, and nothing deploys it.
    a2 = {"id": "A2", "title": "Fit bed-exit alarms to all 120 beds in 2026", "level": "annual",
          "owner": "ana", "unit": "clinic", "start": "2026-01", "end": "2026-12",
          "supports": {"B1": 1}}  # fmt: skip
    two.change("POST", "/objectives", a2, read=False)
    assert two.summary()["summary"] == counts(objectives=4, unmeasured=1)
    assert two.summary()["findings_by_code"] == {
        "infeasible_schedule": 1, "not_deployed": 1, "unmeasured": 1
    }  # fmt: skip
    assert statuses(two.analysis())["A2"] == ("unmeasured", None)
    assert two.objective("A2")["supports"] == {"B1": 1}

    # 3. A2 deleted: the hand-worked counts again, and B no longer knows A2.
    two.change("DELETE", "/objectives/A2")
    assert two.summary()["summary"] == counts()
    assert two.b.get("/objectives/A2").status_code == 404
    assert "A2" not in two.analysis()["objectives"]

    # 4. T1 supports B1 instead of A1. A1 = huddles alone: 0.6 vs 0.5, green.
    # B1 = falls, A1, T1: (0.6 + 0.6 + 0.25) / 3 = 0.48333 vs (2/3 + 0.5 + 0.5) / 3 = 0.55556,
    # deviation -0.072: amber.
    t1 = {**two.fields("/objectives/T1"), "supports": {"B1": 1}, "supports_strength": {}}
    two.change("PUT", "/objectives/T1", t1)
    assert two.objective("T1")["supports"] == {"B1": 1}
    assert statuses(two.analysis()) == {
        "B1": ("amber", 0.48333), "A1": ("green", 0.6), "T1": ("red", 0.25)
    }  # fmt: skip
    assert two.summary()["summary"] == counts(green=1, amber=1)

    # 5. A metric of A1, checklists: 0 in 2026-01 -> 10 in 2026-11, no actual yet: no data,
    # progress 0 against June's planned 5 of 10 (0.5). A1 = (0.6 + 0) / 2 = 0.3 vs 0.5: red;
    # B1 = (0.6 + 0.3 + 0.25) / 3 = 0.38333 vs 0.55556: red. Its May actual is missing.
    checklists = {"id": "checklists", "name": "Wards using the checklist", "baseline": 0,
                  "baseline_period": "2026-01", "target": 10,
                  "target_period": "2026-11"}  # fmt: skip
    two.change("POST", "/objectives/A1/metrics", checklists, read=False)
    assert [m["id"] for m in two.objective("A1")["metrics"]] == ["huddles", "checklists"]
    found = two.analysis()
    assert statuses(found) == {"B1": ("red", 0.38333), "A1": ("red", 0.3), "T1": ("red", 0.25)}
    assert found["metrics"]["checklists"]["status"] == "no_data"
    assert two.summary()["findings_by_code"] == {"infeasible_schedule": 1, "stale_metric": 1}

    # 6. Its May actual, 2: planned 4 (4 months of 10), progress 0.2 vs 0.4: red, and no
    # countermeasure. A1 = (0.6 + 0.2) / 2 = 0.4 vs (0.5 + 0.4) / 2 = 0.45: amber;
    # B1 = (0.6 + 0.4 + 0.25) / 3 = 0.41667 vs (2/3 + 0.45 + 0.5) / 3 = 0.53889: red.
    two.change("PUT", "/metrics/checklists/actuals/2026-05", {"value": 2}, read=False)
    found = two.analysis()
    assert statuses(found) == {"B1": ("red", 0.41667), "A1": ("amber", 0.4), "T1": ("red", 0.25)}
    assert two.summary()["findings_by_code"] == {
        "infeasible_schedule": 1, "missing_countermeasure": 1
    }  # fmt: skip

    # 7. Its target 5 instead of 10: planned 2 in May, progress 0.4 = planned: green.
    # A1 = (0.6 + 0.4) / 2 = 0.5 vs 0.45: green; B1 = (0.6 + 0.5 + 0.25) / 3 = 0.45: amber.
    two.change("PUT", "/metrics/checklists", {**two.fields("/metrics/checklists"), "target": 5})
    found = two.analysis()
    assert found["metrics"]["checklists"]["planned"] == 2
    assert statuses(found) == {"B1": ("amber", 0.45), "A1": ("green", 0.5), "T1": ("red", 0.25)}
    assert two.summary()["summary"] == counts(green=1, amber=1)

    # 8. An action of ben's for A1, a4: 0.6 FTE from 06-10 to 06-20, 5 days: beside a1
    # (0.5 FTE, 06-01..06-30) ben is at 1.10 FTE from 06-10. a4 (slack 1 day) is now A1's
    # critical action instead of a1 (slack 11).
    a4 = {"id": "a4", "title": "Audit the huddle records", "owner": "ben", "serves": ["A1"],
          "start": "2026-06-10", "due": "2026-06-20", "duration_days": 5,
          "resources": {"fte": 0.6}}  # fmt: skip
    two.change("POST", "/actions", a4, read=False)
    overloaded = (
        "over_allocated",
        "ben",
        "Ben Ode (ben) is planned at 1.10 FTE on 2026-06-10: a1, a4",
    )
    found = two.analysis()
    assert found["objectives"]["A1"]["schedule"]["critical"] == ["a4"]
    assert messages(found) == [late("B1", B1_TITLE, 13, "a3"), overloaded]

    # 9. a4 takes 30 days, still due 06-20: latest start 05-22, earliest 06-15: slack -24,
    # A1 24 days late.
    two.change("PUT", "/actions/a4", {**two.fields("/actions/a4"), "duration_days": 30})
    found = two.analysis()
    assert found["actions"]["a4"]["slack_days"] == -24
    assert messages(found) == [
        late("B1", B1_TITLE, 13, "a3"), late("A1", A1_TITLE, 24, "a4"), overloaded
    ]  # fmt: skip

    # 10. ben renamed: the over_allocated finding names him so.
    two.change("PUT", "/people/ben", {**two.fields("/people/ben"), "name": "Ben Odeh"})
    assert messages(two.analysis())[2] == (
        "over_allocated", "ben", "Ben Odeh (ben) is planned at 1.10 FTE on 2026-06-10: a1, a4"
    )  # fmt: skip

    # 11. Ward A renamed: B reads the new name; the analysis is unchanged and up to date.
    two.change("PUT", "/units/ward-a", {**two.fields("/units/ward-a"), "name": "Ward A North"})
    assert two.b.get("/units/ward-a").json()["name"] == "Ward A North"
    assert two.summary()["summary"] == counts(green=1, amber=1)
    two.analysis()

    # 12. The vision's horizon 2029: fewer than five years from the plan's first year, 2026.
    two.change("PUT", "/vision", {**two.fields("/vision"), "horizon": 2029})
    assert two.b.get("/vision").json()["horizon"] == 2029
    assert messages(two.analysis())[0] == (
        "short_horizon", "vision",
        "the vision's horizon 2029 covers fewer than five years from 2026: set it to 2030 "
        "or later",
    )  # fmt: skip

    # 13. falls' May actual corrected from 22 to 20, the planned value: progress 2/3, green.
    # B1 = (2/3 + 0.5 + 0.25) / 3 = 0.47222 vs 0.53889: amber.
    two.change("PUT", "/metrics/falls/actuals/2026-05", {"value": 20})
    found = two.analysis()
    assert found["metrics"]["falls"]["status"] == "green"
    assert statuses(found) == {"B1": ("amber", 0.47222), "A1": ("green", 0.5), "T1": ("red", 0.25)}
    assert two.summary()["summary"] == counts(green=1, amber=1)
