"""Group commit: the check-ins of many requests checked and written in one transaction,
each with the outcome it would have had alone (runtime.group_commit, service.metric)."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from factories import add_member, make_organization
from hoshin.domain.analysis import analyze
from hoshin.domain.months import Month
from hoshin.domain.report import report
from hoshin.errors import Forbidden, InvalidInput, NotFound, PreconditionRequired
from hoshin.planfile import read_plan
from hoshin.runtime.engine import begin_writing, session_factory
from hoshin.runtime.group_commit import CheckIn, NewActuals
from hoshin.service.account import Principal
from hoshin.service.analysis import AnalysisCache
from hoshin.service.asker import Asker, Who
from hoshin.service.checkin import Actual, NewActual, get_actual, new_actual, record_actual
from hoshin.store.audit import list_events
from hoshin.store.metric import metrics_and_actuals
from hoshin.store.organization import OrganizationRow, bump_plan_version, plan_version_of
from hoshin.store.plan_load import load_plan
from hoshin.store.user import find_user

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
NOW = datetime(2026, 7, 20, 9, tzinfo=UTC)
JULY = Month.of(2026, 7)  # small.yaml's metrics have actuals up to 2026-05


def clinic(session: Session) -> OrganizationRow:
    org = make_organization(session, slug="clinic", name="Clinic", plan=read_plan(SMALL))
    members = (
        ("ana@clinic.org", "editor"),
        ("bo@clinic.org", "editor"),
        ("vi@clinic.org", "viewer"),
    )
    for email, role in members:
        add_member(session, email=email, role=role, password="pw-a-good-long-secret")
        user = find_user(session, email=email)
        assert user is not None
        USERS[email] = user.id
    session.commit()
    return org


USERS: dict[str, int] = {}  # the clinic's members' user ids, by email


def editor(org: OrganizationRow, actor: str = "ana@clinic.org", role: str = "editor") -> Asker:
    """A member of the clinic recording a check-in."""
    return Asker(org, role, Principal(USERS[actor], actor, "", None), "tests")


def new(org: OrganizationRow, metric: str, value: float, actor: str = "ana@clinic.org") -> CheckIn:
    """An editor's check-in of ``metric`` for July (the recorder key: the actor)."""
    return CheckIn(lambda _: editor(org, actor), actor, metric, JULY, value, NOW)


def falls_in_july(
    session: Session, org: OrganizationRow, value: float, version: int | None = None
) -> None:
    """falls's actual of July recorded (or corrected from ``version``) by cy, an editor."""
    record_actual(
        session, org=org, role="editor", person=None, metric="falls", period=JULY,
        value=value, if_match=version, who=Who("cy@clinic.org"), now=NOW,
    )  # fmt: skip


def test_a_batch_saves_each_actual_under_one_plan_version(session: Session, engine: Engine) -> None:
    org = clinic(session)
    cache = AnalysisCache()
    cache.get(session, org=org, as_of=date(2026, 7, 20))  # kept: brought up to date below
    before = plan_version_of(session, org_id=org.id)
    session.commit()
    writer = NewActuals(session_factory(engine))
    batch = [new(org, "falls", 18.0), new(org, "huddles", 70.0, "bo@clinic.org"),
             new(org, "trained", 12.0)]  # fmt: skip
    results = writer.write(batch)
    assert results == [
        Actual("falls", JULY, 18.0, 1, NOW),
        Actual("huddles", JULY, 70.0, 1, NOW),
        Actual("trained", JULY, 12.0, 1, NOW),
    ]
    # one bump for the three, and an audit event for each, of that version and its actor
    assert plan_version_of(session, org_id=org.id) == before + 1
    events = list_events(session, org_id=org.id, entity="actual")
    assert [(e.key, e.actor, e.change, e.plan_version) for e in events] == [
        ("falls/2026-07", "ana@clinic.org", "create", before + 1),
        ("huddles/2026-07", "bo@clinic.org", "create", before + 1),
        ("trained/2026-07", "ana@clinic.org", "create", before + 1),
    ]
    assert events[1].after == {"metric": "huddles", "period": "2026-07", "value": 70.0,
                               "version": 1, "updated_at": NOW.isoformat()}  # fmt: skip
    # the kept analysis takes the three actuals of the one version as check-ins
    cached = cache.get(session, org=org, as_of=date(2026, 7, 20))
    fresh = load_plan(session, org=org)
    assert cached.plan == fresh
    assert report(cached.plan, cached.analysis) == report(fresh, analyze(fresh, date(2026, 7, 20)))


def test_the_same_month_twice_in_a_batch_saves_the_first(session: Session, engine: Engine) -> None:
    """The second came without If-Match: it is a correction naming no version (428), as if
    the first had been saved before it came, not a stale one (412)."""
    org = clinic(session)
    writer = NewActuals(session_factory(engine))
    first, second = writer.write([new(org, "falls", 18.0), new(org, "falls", 99.0)])
    assert first == Actual("falls", JULY, 18.0, 1, NOW)
    assert isinstance(second, PreconditionRequired)
    assert second.message == (
        'metric falls has an actual for 2026-07 already: send If-Match with its version ("1") '
        "to correct it"
    )
    assert get_actual(session, org=org, metric="falls", period=JULY).value == 18.0


def test_a_month_with_an_actual_is_left_to_record_actual_and_the_rest_saved(
    session: Session, engine: Engine
) -> None:
    """A check-in of a month that has an actual is a correction, which needs If-Match:
    the writer answers None and the request's record_actual tells (428, or 412)."""
    org = clinic(session)
    falls_in_july(session, org, 17.0)
    session.commit()
    writer = NewActuals(session_factory(engine))
    correction, saved = writer.write([new(org, "falls", 18.0), new(org, "huddles", 70.0)])
    assert correction is None
    assert saved == Actual("huddles", JULY, 70.0, 1, NOW)
    assert get_actual(session, org=org, metric="falls", period=JULY).value == 17.0


def test_a_refused_check_in_fails_alone_in_its_batch(session: Session, engine: Engine) -> None:
    org = clinic(session)
    before = plan_version_of(session, org_id=org.id)
    session.commit()
    writer = NewActuals(session_factory(engine))
    viewer = CheckIn(lambda _: editor(org, "vi@clinic.org", "viewer"), "vi",
                     "trained", JULY, 12.0, NOW)  # fmt: skip
    saved, gone, refused = writer.write([new(org, "falls", 18.0), new(org, "gone", 1.0), viewer])
    assert saved == Actual("falls", JULY, 18.0, 1, NOW)
    assert isinstance(gone, NotFound) and str(gone) == "no metric 'gone'"
    assert isinstance(refused, Forbidden)
    assert str(refused) == "a viewer cannot record actuals of trained"
    assert plan_version_of(session, org_id=org.id) == before + 1  # the one saved, in one


def test_who_asks_is_found_once_per_key_and_their_refusal_is_each_ones(
    session: Session, engine: Engine
) -> None:
    org = clinic(session)
    found: list[str] = []

    def unknown(_: Session) -> Asker:
        found.append("unknown")
        raise NotFound("no organisation 'clinic'")

    def known(_: Session) -> Asker:
        found.append("known")
        return editor(org)

    asked = [CheckIn(unknown, "u", "falls", JULY, 1.0, NOW),
             CheckIn(known, "k", "huddles", JULY, 70.0, NOW),
             CheckIn(unknown, "u", "trained", JULY, 2.0, NOW),
             CheckIn(known, "k", "trained", JULY, 12.0, NOW)]  # fmt: skip
    first, huddles, third, trained = NewActuals(session_factory(engine)).write(asked)
    assert found == ["unknown", "known"]
    assert isinstance(first, NotFound) and isinstance(third, NotFound)
    assert str(third) == "no organisation 'clinic'"
    assert huddles == Actual("huddles", JULY, 70.0, 1, NOW)
    assert trained == Actual("trained", JULY, 12.0, 1, NOW)


# PostgreSQL only: on SQLite the writer's transaction holds the write lock from its first
# statement, so no other change can come between its check and its COMMIT.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_metric_deleted_before_the_commit_fails_alone(session: Session, engine: Engine) -> None:
    """Another connection deletes 'huddles' after the batch checked it, before its COMMIT:
    the deferred foreign key refuses the COMMIT, and each check-in is checked and written
    again alone, so that only huddles fails (it has no metric now)."""
    org = clinic(session)
    before = plan_version_of(session, org_id=org.id)
    session.commit()
    sessions = session_factory(engine)
    fired: list[bool] = []

    def delete_huddles(_: Session) -> None:
        if not fired:
            fired.append(True)
            with engine.begin() as connection:
                connection.execute(text("DELETE FROM metrics WHERE key = 'huddles'"))

    event.listen(sessions, "before_commit", delete_huddles)
    saved, gone, other = NewActuals(sessions).write(
        [new(org, "falls", 18.0), new(org, "huddles", 70.0), new(org, "trained", 12.0)]
    )
    assert fired == [True]
    assert saved == Actual("falls", JULY, 18.0, 1, NOW)
    assert isinstance(gone, NotFound) and str(gone) == "no metric 'huddles'"
    assert other == Actual("trained", JULY, 12.0, 1, NOW)
    assert plan_version_of(session, org_id=org.id) == before + 2  # one version each, alone


def test_actuals_recorded_at_once_share_transactions(session: Session, engine: Engine) -> None:
    """16 requests record at once while another change holds the plan (on SQLite the
    writers' turn, on PostgreSQL the plan-version row): the writer's first transaction
    waits, and the actuals that come meanwhile gather for the next. When the change ends,
    the 16 are saved in one or two transactions instead of 16."""
    org = clinic(session)
    metrics = ["falls", "huddles", "trained"]
    months = [Month.of(2027, n) for n in range(1, 7)]
    asked = [CheckIn(lambda _: editor(org), "ana", m, p, 10.0 + n, NOW)
             for n, (m, p) in enumerate((m, p) for m in metrics for p in months)][:16]  # fmt: skip
    sessions = session_factory(engine)
    writer = NewActuals(sessions)

    async def record_all(holder: Session) -> dict[int, Actual | BaseException | None]:
        waiting = [asyncio.ensure_future(writer.record_soon(a)) for a in asked]
        deadline = time.monotonic() + 10
        while writer.waiting() < 16 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert writer.waiting() == 16  # none answered: the first transaction waits
        holder.commit()
        return dict(enumerate(await asyncio.gather(*waiting, return_exceptions=True)))

    with sessions() as holder:
        begin_writing(holder)
        before = bump_plan_version(holder, org_id=org.id)
        results = asyncio.run(record_all(holder))
    assert results == {n: Actual(a.metric, a.period, a.value, 1, NOW) for n, a in enumerate(asked)}
    assert before + 1 <= plan_version_of(session, org_id=org.id) <= before + 2


def test_a_request_in_the_event_loop_waits_for_its_check_in_without_a_thread(
    session: Session, engine: Engine
) -> None:
    org = clinic(session)
    writer = NewActuals(session_factory(engine))
    threads = threading.active_count()

    async def two() -> list[Actual | None]:
        asked = [writer.record_soon(new(org, m, 10.0)) for m in ("falls", "huddles")]
        return list(await asyncio.gather(*asked))

    assert asyncio.run(two()) == [Actual("falls", JULY, 10.0, 1, NOW),
                                  Actual("huddles", JULY, 10.0, 1, NOW)]  # fmt: skip
    assert threading.active_count() <= threads + 1  # the writer's, and no other


def test_new_actual_checks_what_record_actual_checks_and_writes_nothing(
    session: Session,
) -> None:
    """small.yaml: falls measures B1 (owner ana, unit clinic), huddles A1 (owner ben, unit
    ward-a); falls has actuals up to 2026-05."""
    org = clinic(session)
    version = plan_version_of(session, org_id=org.id)

    def ask(metric: str, period: Month = JULY, **given: object) -> NewActual | None:
        asked: dict[str, Any] = {"role": "editor", "person": None, "value": 18.0,
                                 "if_match": None} | given  # fmt: skip
        return new_actual(session, org=org, metric=metric, period=period, who=Who("t"),
                          now=NOW, **asked)  # fmt: skip

    assert ask("falls") == NewActual(org.id, "falls", JULY, 18.0, Who("t"), NOW)
    assert ask("falls", Month.of(2026, 5)) is None  # the month has an actual: a correction
    assert ask("falls", if_match=1) is None  # a version named: record_actual decides
    assert ask("huddles", role="contributor", person="ben") is not None  # ben owns A1
    assert ask("falls", role="contributor", person="ana") is not None  # ana owns B1
    with pytest.raises(Forbidden, match="a contributor cannot record actuals of falls"):
        ask("falls", role="contributor", person="ben")  # not his, not his unit
    with pytest.raises(Forbidden, match="a viewer cannot record actuals of falls"):
        ask("falls", role="viewer")
    with pytest.raises(NotFound, match="no metric 'gone'"):
        ask("gone")
    with pytest.raises(InvalidInput, match="value: must be a finite number"):
        ask("falls", value=math.inf)
    assert plan_version_of(session, org_id=org.id) == version  # nothing was written


def test_a_batch_reads_its_metrics_and_their_months_in_one_query(
    session: Session, engine: Engine
) -> None:
    """Four check-ins (one of a month with an actual, one of no metric) ask the metrics
    once; each has the outcome it would have alone."""
    org = clinic(session)
    falls_in_july(session, org, 17.0)
    session.commit()
    statements: list[str] = []

    def seen(_c: Any, _k: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    writer = NewActuals(session_factory(engine))
    event.listen(engine, "before_cursor_execute", seen)
    try:
        batch = [new(org, "falls", 18.0), new(org, "huddles", 70.0), new(org, "gone", 1.0),
                 new(org, "trained", 12.0, "bo@clinic.org")]  # fmt: skip
        correction, huddles, gone, trained = writer.write(batch)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert correction is None
    assert huddles == Actual("huddles", JULY, 70.0, 1, NOW)
    assert isinstance(gone, NotFound) and str(gone) == "no metric 'gone'"
    assert trained == Actual("trained", JULY, 12.0, 1, NOW)
    assert sum("FROM metrics" in s for s in statements) == 1


def test_metrics_and_actuals_by_hand(session: Session) -> None:
    """small.yaml: falls measures B1, huddles A1. falls has an actual in July (version 2
    once corrected), none in August; gone is no metric: left out."""
    org = clinic(session)
    falls_in_july(session, org, 17.0)
    falls_in_july(session, org, 18.0, version=1)
    august = int(Month.of(2026, 8))
    asked = {("falls", int(JULY)), ("falls", august), ("huddles", august), ("gone", august)}
    found = metrics_and_actuals(session, org_id=org.id, asked=asked)
    assert found == {
        ("falls", int(JULY)): ("B1", 2),
        ("falls", august): ("B1", None),
        ("huddles", august): ("A1", None),
    }
