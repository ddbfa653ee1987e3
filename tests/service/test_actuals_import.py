"""The actuals import on SQLite and PostgreSQL: who may record which rows, values changed
since a preview, the webhooks' actual.recorded and the analysis cache.

The clinic (notice_support, examples/small.yaml) has one webhook hearing every event; its
metrics: falls (of B1, owned by ana; 2026-03..05 = 27, 25, 22), huddles (of A1, ben's, unit
ward-a; 2026-04..05 = 45, 60) and trained (of T1, ben's, ward-a; 2026-04..05 = 8, 10).
ana is an editor there, ben a contributor of ward-a.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from notice_support import called, make_clinic
from sqlalchemy.orm import Session

from hoshin.domain.months import Month
from hoshin.errors import Forbidden, InvalidInput
from hoshin.planfile.actuals_file import ActualLine
from hoshin.service.actuals_import import (
    Importer,
    RowsRefused,
    carried,
    import_file,
    import_lines,
    rows_carried,
)
from hoshin.service.analysis import AnalysisCache
from hoshin.service.asker import Asker
from hoshin.service.checkin import get_actual, record_actual
from hoshin.store.audit import list_events
from hoshin.store.organization import OrganizationRow

NOW = datetime(2026, 7, 2, 8, tzinfo=UTC)
JUNE, MAY = Month.of(2026, 6), Month.of(2026, 5)
Clinic = tuple[OrganizationRow, dict[str, Asker]]


@pytest.fixture
def clinic(session: Session, cheap_hashing: None) -> Clinic:
    return make_clinic(session)


def by(asker: Asker) -> Importer:
    return Importer(asker.org, asker.role, asker.person, asker.who)


def csv(*rows: str) -> bytes:
    return ("metric,month,value\n" + "".join(f"{row}\n" for row in rows)).encode()


def test_the_rows_are_recorded_audited_and_published_as_check_ins(
    session: Session, clinic: Clinic
) -> None:
    org, askers = clinic
    body = csv("falls,2026-06,19", "huddles,2026-06,70", "trained,2026-05,10", "trained,2026-05,")
    with pytest.raises(RowsRefused):  # row 5 has no value: nothing is written
        import_file(session, by=by(askers["ana"]), name="a.csv", body=body, correct=False,
                    dry_run=False, now=NOW)  # fmt: skip
    body = csv("falls,2026-06,19", "huddles,2026-06,70", "trained,2026-05,10")
    done = import_file(session, by=by(askers["ana"]), name="a.csv", body=body, correct=False,
                       dry_run=False, now=NOW)  # fmt: skip
    session.commit()
    assert [(c.metric, c.before, c.after, c.kind) for c in done.changes] == [
        ("falls", None, 19.0, "new"), ("huddles", None, 70.0, "new"),
        ("trained", 10.0, 10.0, "unchanged"),  # 10 is stored for May: no write
    ]  # fmt: skip
    assert done.summary("clinic") == "recorded 2 actuals (0 corrected, 1 unchanged) for clinic"
    events = list_events(session, org_id=org.id, entity="actual")
    assert [(e.key, e.change, e.actor, e.origin) for e in events] == [
        ("falls/2026-06", "create", "ana@riverside.example", "tests"),
        ("huddles/2026-06", "create", "ana@riverside.example", "tests"),
    ]
    published = [(s, d["value"], d["version"]) for e, s, d in called(session, org)
                 if e == "actual.recorded"]  # fmt: skip
    assert published == [("falls", 19.0, 1), ("huddles", 70.0, 1)]


def test_a_correction_is_made_at_the_version_read_and_published(
    session: Session, clinic: Clinic
) -> None:
    org, askers = clinic
    done = import_file(session, by=by(askers["admin"]), name="a.csv", body=csv("falls,2026-05,21"),
                       correct=True, dry_run=False, now=NOW)  # fmt: skip
    session.commit()
    assert done.summary("clinic") == "recorded 1 actual (1 corrected, 0 unchanged) for clinic"
    assert get_actual(session, org=org, metric="falls", period=MAY).version == 2
    [event] = list_events(session, org_id=org.id, entity="actual")
    assert (event.change, event.before["value"], event.after["value"]) == ("update", 22.0, 21.0)  # type: ignore[index]
    assert [d["version"] for e, _, d in called(session, org) if e == "actual.recorded"] == [2]


def test_a_rows_note_is_kept_in_the_audit_event_of_its_check_in(
    session: Session, clinic: Clinic
) -> None:
    org, askers = clinic
    # Two new months (falls with a note, huddles without) and two corrections of May
    # (falls 22 -> 21 with a note, trained 10 -> 11 without).
    body = (
        b"metric,month,value,note\n"
        b"falls,2026-06,19,Plant shut for a week\n"
        b"huddles,2026-06,70,\n"
        b"falls,2026-05,21,Recount after the audit\n"
        b"trained,2026-05,11,\n"
    )
    import_file(session, by=by(askers["ana"]), name="n.csv", body=body, correct=True,
                dry_run=False, now=NOW)  # fmt: skip
    session.commit()
    events = list_events(session, org_id=org.id, entity="actual")
    assert [(e.key, e.change, (e.after or {}).get("note")) for e in events] == [
        ("falls/2026-06", "create", "Plant shut for a week"),
        ("huddles/2026-06", "create", None),
        ("falls/2026-05", "update", "Recount after the audit"),
        ("trained/2026-05", "update", None),
    ]
    assert "note" not in (events[1].after or {}) and "note" not in (events[3].after or {})
    # The note is the event's alone: the actual and its webhook event have none, and the
    # next correction (through the API: no note) neither carries it nor says it was before.
    assert events[0].after == {"metric": "falls", "period": "2026-06", "value": 19.0,
                               "version": 1, "updated_at": NOW.isoformat(),
                               "note": "Plant shut for a week"}  # fmt: skip
    assert all("note" not in d for e, _, d in called(session, org) if e == "actual.recorded")
    record_actual(session, org=org, role="admin", person=None, metric="falls", period=JUNE,
                  value=18.0, if_match=1, who=askers["ana"].who, now=NOW)  # fmt: skip
    last = list_events(session, org_id=org.id, entity="actual")[-1]
    assert "note" not in (last.before or {}) and "note" not in (last.after or {})


def test_a_contributor_records_only_the_metrics_of_their_work(
    session: Session, clinic: Clinic
) -> None:
    _, askers = clinic
    body = csv("trained,2026-06,12", "falls,2026-06,19")  # trained is ben's; falls is ana's
    with pytest.raises(RowsRefused) as refused:
        import_file(session, by=by(askers["ben"]), name="b.csv", body=body, correct=False,
                    dry_run=False, now=NOW)  # fmt: skip
    assert refused.value.lines() == [
        "b.csv:3: metric: a contributor cannot record actuals of falls"
    ]
    assert refused.value.detail == [
        {"row": 3, "column": "metric", "reason": "a contributor cannot record actuals of falls"}
    ]
    done = import_file(session, by=by(askers["ben"]), name="b.csv", body=csv("trained,2026-06,12"),
                       correct=False, dry_run=False, now=NOW)  # fmt: skip
    assert done.written == 1


def test_a_viewer_may_import_nothing(session: Session, clinic: Clinic) -> None:
    org, askers = clinic
    viewer = Importer(org, "viewer", None, askers["admin"].who)
    with pytest.raises(Forbidden, match="a viewer cannot record actuals"):
        import_file(session, by=viewer, name="v.csv", body=csv("falls,2026-06,1"), correct=False,
                    dry_run=True, now=NOW)  # fmt: skip


def test_a_dry_run_writes_nothing(session: Session, clinic: Clinic) -> None:
    org, askers = clinic
    done = import_file(session, by=by(askers["admin"]), name="a.csv", body=csv("falls,2026-06,3"),
                       correct=False, dry_run=True, now=NOW)  # fmt: skip
    assert done.summary("clinic") == "would record 1 actual (0 corrected, 0 unchanged) for clinic"
    assert list_events(session, org_id=org.id, entity="actual") == []


def test_a_value_changed_since_the_preview_is_reported_not_overwritten(
    session: Session, clinic: Clinic
) -> None:
    org, askers = clinic
    admin = by(askers["admin"])
    # The preview: June is new for falls and trained; May of falls is 22, to be corrected to 21.
    body = csv("falls,2026-06,19", "trained,2026-06,12", "falls,2026-05,21")
    preview = import_file(session, by=admin, name="a.csv", body=body, correct=True,
                          dry_run=True, now=NOW)  # fmt: skip
    text = carried(preview)
    # Meanwhile someone records falls for June (18) and trained for June (12, the same).
    for metric, value in (("falls", 18.0), ("trained", 12.0)):
        record_actual(session, org=org, role="admin", person=None, metric=metric, period=JUNE,
                      value=value, if_match=None, who=admin.who, now=NOW)  # fmt: skip
    lines, seen = rows_carried(text)
    assert seen == {2: None, 3: None, 4: 22.0}
    with pytest.raises(RowsRefused) as refused:
        import_lines(session, by=admin, name="a.csv", lines=lines, seen=seen, correct=True,
                     dry_run=False, now=NOW)  # fmt: skip
    # trained 12 is what they meant to save: no problem (unchanged); falls 18 is not theirs.
    assert refused.value.lines() == [
        "a.csv:2: value: falls 2026-06 is 18 now, not none as the preview showed: someone "
        "changed it meanwhile"
    ]


def test_carried_rows_are_checked_as_a_file_is() -> None:
    lines, seen = rows_carried('[[2,"falls","2026-06",19,"a note",null]]')
    assert (lines, seen) == ([ActualLine(2, "falls", JUNE, 19.0, "a note")], {2: None})
    for text in (
        '{"a": 1}', '[[2,"falls","2026-13",1,"",null]]', '[[2,"bad id","2026-06",1,"",null]]',
        '[[2,"falls","2026-06",true,"",null]]', '[[1,"falls","2026-06",1,"",null]]',
        '[[2,"falls","2026-06",1,"\\u0007",null]]', "not json",
    ):  # fmt: skip
        with pytest.raises(InvalidInput, match="rows: not the rows of a preview"):
            rows_carried(text)


def test_the_cache_sees_the_imported_actuals(session: Session, clinic: Clinic) -> None:
    org, askers = clinic
    cache = AnalysisCache()
    day = date(2026, 7, 2)
    first = cache.get(session, org=org, as_of=day)
    import_file(session, by=by(askers["admin"]), name="a.csv", body=csv("trained,2026-06,25"),
                correct=False, dry_run=False, now=NOW)  # fmt: skip
    session.commit()
    second = cache.get(session, org=org, as_of=day)
    assert second.plan_version == first.plan_version + 1  # one version for the batch
    trained = next(m for o in second.plan.objectives for m in o.metrics if m.id == "trained")
    assert trained.actuals[JUNE] == 25.0
    assert second.plan.actions is first.plan.actions  # brought up to date, not loaded again
