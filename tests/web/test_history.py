"""An objective's history in words (hoshin.web.history), from audit events written by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.service.audit import Happened
from hoshin.web.history import Line, lines

AT = datetime(2026, 12, 4, 16, 30, 51, 300004, tzinfo=UTC)
# Defects per million, written with one decimal (4.2): its figures show one.
DEFECTS = Metric(id="dpm", name="Defects per million", direction="decrease", baseline=12.0,
                 baseline_period=Month.of(2026, 1), target=2.0,
                 target_period=Month.of(2026, 12), actuals={Month.of(2026, 10): 4.2})  # fmt: skip
METRICS = {"dpm": DEFECTS}


def _event(entity: str, key: str, change: str, **states: dict[str, Any] | None) -> Happened:
    return Happened(
        at=AT, actor="okafor@pumps.example", who="Margaret Okafor", origin="192.0.2.9",
        entity=entity, key=key, change=change, before=states.get("before"),
        after=states.get("after"),
    )  # fmt: skip


def _text(event: Happened) -> str:
    (line,) = lines([event], METRICS)
    return line.text


def test_a_check_in_says_who_recorded_what_for_which_metric_and_month() -> None:
    # 4.2 at the metric's one decimal: "4.2"; 4 would read "4.0".
    after = {"metric": "dpm", "period": "2026-11", "value": 4.2, "version": 1}
    [line] = lines([_event("actual", "dpm/2026-11", "create", after=after)], METRICS)
    assert line == Line(
        AT, "2026-12-04 16:30 UTC",
        "Margaret Okafor recorded 4.2 for Defects per million, 2026-11", "192.0.2.9",
    )  # fmt: skip
    before = after | {"value": 4.0}
    corrected = _event("actual", "dpm/2026-11", "update", before=before, after=after)
    assert _text(corrected) == (
        "Margaret Okafor corrected Defects per million, 2026-11, from 4.0 to 4.2"
    )


def test_a_countermeasure_says_its_metric_month_and_action_then_its_changes() -> None:
    opened = {"id": "cm3", "metric": "dpm", "period": "2026-11", "status": "open", "version": 1,
              "cause": "New seal supplier", "action": "Quarantine the batch"}  # fmt: skip
    assert _text(_event("countermeasure", "cm3", "create", after=opened)) == (
        "Margaret Okafor opened countermeasure cm3 for Defects per million, 2026-11: "
        "Quarantine the batch"
    )
    closed = opened | {"status": "closed", "effect": "No more leaks", "version": 2}
    assert _text(_event("countermeasure", "cm3", "update", before=opened, after=closed)) == (
        "Margaret Okafor changed countermeasure cm3 for Defects per million, 2026-11: "
        "status open \u2192 closed, effect none \u2192 No more leaks"
    )


def test_edits_name_the_fields_that_changed_and_long_values_by_name_only() -> None:
    before = {"id": "A1", "title": "Old", "owner": "larsen", "version": 3, "customer_benefit": ""}
    after = before | {"owner": "okafor", "customer_benefit": "x" * 61, "version": 4}
    assert _text(_event("objective", "A1", "update", before=before, after=after)) == (
        "Margaret Okafor changed objective A1: owner larsen \u2192 okafor, customer benefit"
    )
    assert _text(_event("metric", "dpm", "create", after={"id": "dpm"})) == (
        "Margaret Okafor added metric Defects per million"
    )
    assert _text(_event("metric", "gone", "delete", before={"id": "gone"})) == (
        "Margaret Okafor removed metric gone"
    )


def test_the_time_is_said_in_utc_whatever_zone_it_was_read_in() -> None:
    # 17:30 at UTC+1 is 16:30 UTC.
    paris = AT.astimezone(timezone(timedelta(hours=1)))
    event = Happened(paris, "cli:ana", "the command line (ana)", None, "objective", "A1",
                     "update", None, None)  # fmt: skip
    [line] = lines([event], METRICS)
    assert (line.at, line.when, line.text, line.origin) == (
        AT,
        "2026-12-04 16:30 UTC",
        "the command line (ana) changed objective A1",
        None,
    )
