"""An objective's history in words (hoshin.web.history), from audit events written by hand:
every sentence below is the one a person would say, written out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.service.audit import Happened
from hoshin.web.history import Line, lines
from hoshin.web.history_words import Words
from hoshin.web.names import Names
from hoshin.web.render import TEMPLATES

AT = datetime(2026, 12, 4, 16, 30, 51, 300004, tzinfo=UTC)
# Defects per million, written with one decimal (4.2): its figures show one.
DEFECTS = Metric(id="dpm", name="Defects per million", direction="decrease", baseline=12.0,
                 baseline_period=Month.of(2026, 1), target=2.0,
                 target_period=Month.of(2026, 12), actuals={Month.of(2026, 10): 4.2})  # fmt: skip
# ode has no name in the plan: their id stands for it.
NAMES = Names(
    people={"larsen": "Ingrid Larsen", "okafor": "Margaret Okafor", "ode": ""},
    units={"wa": "Ward A"},
)
WORDS = Words({"dpm": DEFECTS}, NAMES)
# A countermeasure as the service keeps it (service.countermeasure.countermeasure_state).
OPENED = {"id": "cm3", "metric": "dpm", "period": "2026-11", "cause": "New seal supplier",
          "action": "Quarantine the batch", "owner": "larsen", "due": "2026-12-15",
          "status": "open", "effect": None, "version": 1}  # fmt: skip
# An objective as the service keeps it (service.objective.objective_state).
A1 = {"id": "A1", "title": "Old", "level": "annual", "owner": "larsen", "unit": None,
      "start": "2026-01", "end": "2026-12", "tolerance": 0.1, "customer_benefit": "",
      "description": "", "version": 3, "supports": {"B1": 1.0},
      "supports_strength": {"B1": "strong"}}  # fmt: skip


def _event(entity: str, key: str, change: str, **states: dict[str, Any] | None) -> Happened:
    return Happened(
        at=AT, actor="okafor@pumps.example", who="Margaret Okafor", origin="192.0.2.9",
        entity=entity, key=key, change=change, before=states.get("before"),
        after=states.get("after"),
    )  # fmt: skip


def _text(event: Happened) -> str:
    (line,) = lines([event], WORDS)
    return line.text


def _measure(before: dict[str, Any], **after: Any) -> str:
    changed = before | after | {"version": before["version"] + 1}
    return _text(_event("countermeasure", "cm3", "update", before=before, after=changed))


def _objective(before: dict[str, Any], **after: Any) -> str:
    changed = before | after | {"version": before["version"] + 1}
    return _text(_event("objective", "A1", "update", before=before, after=changed))


def test_a_check_in_says_who_recorded_what_for_which_metric_and_month() -> None:
    # 4.2 at the metric's one decimal: "4.2"; 4 would read "4.0".
    after = {"metric": "dpm", "period": "2026-11", "value": 4.2, "version": 1}
    [line] = lines([_event("actual", "dpm/2026-11", "create", after=after)], WORDS)
    assert line == Line(
        AT, "2026-12-04 16:30 UTC",
        "Margaret Okafor recorded 4.2 for Defects per million, 2026-11", "192.0.2.9",
    )  # fmt: skip
    before = after | {"value": 4.0}
    corrected = _event("actual", "dpm/2026-11", "update", before=before, after=after)
    assert _text(corrected) == (
        "Margaret Okafor corrected Defects per million, 2026-11, from 4.0 to 4.2"
    )


def test_a_check_in_with_a_note_says_it_after_the_value_escaped_on_the_page() -> None:
    # A spreadsheet row's note is kept in its check-in's audit event (service.checkin).
    after = {"metric": "dpm", "period": "2026-10", "value": 4.1, "version": 1,
             "note": "Plant shut for a week"}  # fmt: skip
    assert _text(_event("actual", "dpm/2026-10", "create", after=after)) == (
        "Margaret Okafor recorded 4.1 for Defects per million, 2026-10 "
        "\u2014 \u201cPlant shut for a week\u201d"
    )
    # A correction's note is its own: the one before (none here) is not said.
    corrected = after | {"value": 3.9, "version": 2, "note": "Recount <after> the audit"}
    event = _event("actual", "dpm/2026-10", "update", before=after, after=corrected)
    assert _text(event) == (
        "Margaret Okafor corrected Defects per million, 2026-10, from 4.1 to 3.9 "
        "\u2014 \u201cRecount <after> the audit\u201d"
    )
    # A long note is cut as free text is: its first 59 characters and an ellipsis.
    long = after | {"note": "x" * 70}
    assert _text(_event("actual", "dpm/2026-10", "create", after=long)).endswith(
        "\u2014 \u201c" + "x" * 59 + "\u2026\u201d"
    )
    # Without a note (an empty one is none), the line is as it always was.
    plain = after | {"note": ""}
    assert _text(_event("actual", "dpm/2026-10", "create", after=plain)) == (
        "Margaret Okafor recorded 4.1 for Defects per million, 2026-10"
    )
    # The page escapes it as any text.
    html = TEMPLATES.get_template("_history.html").render(
        history=lines([event], WORDS), history_limit=50
    )
    assert "\u201cRecount &lt;after&gt; the audit\u201d" in html
    assert "<after>" not in html


def test_a_countermeasure_opened_says_its_metric_month_action_owner_and_due_date() -> None:
    assert _text(_event("countermeasure", "cm3", "create", after=OPENED)) == (
        "Margaret Okafor opened the countermeasure cm3 for Defects per million, 2026-11: "
        "Quarantine the batch, owner Ingrid Larsen, due 2026-12-15"
    )
    # Made closed at once (the API allows it), with its effect.
    closed = OPENED | {"status": "closed", "effect": "No more leaks", "owner": None}
    assert _text(_event("countermeasure", "cm3", "create", after=closed)) == (
        "Margaret Okafor added the countermeasure cm3 for Defects per million, 2026-11: "
        "Quarantine the batch, due 2026-12-15; already closed, effect: No more leaks"
    )


def test_a_countermeasure_moves_on_in_words_closing_with_its_effect() -> None:
    assert _measure(OPENED, status="in_progress") == (
        "Margaret Okafor moved the countermeasure cm3 for Defects per million, 2026-11 "
        "from open to in progress"
    )
    going = OPENED | {"status": "in_progress", "version": 2}
    assert _measure(going, status="closed", effect="No more leaks") == (
        "Margaret Okafor moved the countermeasure cm3 for Defects per million, 2026-11 "
        "from in progress to closed, effect: No more leaks"
    )
    # Moved on and handed over at once: the move first, then the other change.
    assert _measure(OPENED, status="in_progress", owner="okafor") == (
        "Margaret Okafor moved the countermeasure cm3 for Defects per million, 2026-11 "
        "from open to in progress, and changed the owner from Ingrid Larsen to Margaret Okafor"
    )
    # Reopened: its effect goes.
    closed = OPENED | {"status": "closed", "effect": "No more leaks", "version": 3}
    assert _measure(closed, status="open", effect=None) == (
        "Margaret Okafor moved the countermeasure cm3 for Defects per million, 2026-11 "
        "from closed to open, and changed the effect from \u201cNo more leaks\u201d to none"
    )


def test_a_countermeasure_edited_names_its_owner_and_dates() -> None:
    assert _measure(OPENED, owner="okafor", due="2027-01-15") == (
        "Margaret Okafor changed the countermeasure cm3 for Defects per million, 2026-11: "
        "the owner from Ingrid Larsen to Margaret Okafor and the due date from 2026-12-15 "
        "to 2027-01-15"
    )
    assert _measure(OPENED | {"due": None}, due="2026-12-15") == (
        "Margaret Okafor set the due date of the countermeasure cm3 for Defects per million, "
        "2026-11 to 2026-12-15"
    )
    assert _measure(OPENED, owner=None) == (
        "Margaret Okafor cleared the owner of the countermeasure cm3 for Defects per million, "
        "2026-11 (was Ingrid Larsen)"
    )


def test_an_objective_edited_names_people_and_units_not_their_ids() -> None:
    assert _objective(A1, owner="okafor") == (
        "Margaret Okafor changed the owner of the objective A1 from Ingrid Larsen to "
        "Margaret Okafor"
    )
    # ode has no name: their id; a long customer benefit (61 characters) is named only;
    # a tolerance of 0.1 is 10%.
    several = _objective(A1, title="Fewer leaks", owner="ode", unit="wa", tolerance=0.05,
                         customer_benefit="x" * 61)  # fmt: skip
    assert several == (
        "Margaret Okafor changed the objective A1: the title from \u201cOld\u201d to "
        "\u201cFewer leaks\u201d, the owner from Ingrid Larsen to ode, the unit to Ward A, "
        "the tolerance from 10% to 5% and the customer benefit"
    )
    assert _objective(A1, end=None) == (
        "Margaret Okafor cleared the end month of the objective A1 (was 2026-12)"
    )


def test_the_objectives_supported_are_said_with_weights_and_strengths_not_strong() -> None:
    # B1 stays at weight 1 but becomes medium; B2 is added at weight 2, strong.
    assert _objective(
        A1, supports={"B1": 1.0, "B2": 2.0}, supports_strength={"B1": "medium", "B2": "strong"}
    ) == (
        "Margaret Okafor changed the supported objectives of the objective A1 from B1 to "
        "B1 (medium) and B2 (weight 2)"
    )


def test_a_metric_edited_says_its_figures_at_its_precision_and_fields_in_words() -> None:
    metric = {"id": "dpm", "objective": "A1", "name": "Defects per million", "unit": "ppm",
              "target": 2.0, "frequency": "monthly", "targets": {}, "version": 2}  # fmt: skip
    edited = metric | {"target": 1.5, "version": 3}
    # One decimal, as the metric is written (4.2): 2.0 and 1.5.
    assert _text(_event("metric", "dpm", "update", before=metric, after=edited)) == (
        "Margaret Okafor changed the target of the metric Defects per million from 2.0 to 1.5"
    )
    edited = metric | {"unit": "per million", "frequency": "quarterly", "version": 3}
    assert _text(_event("metric", "dpm", "update", before=metric, after=edited)) == (
        "Margaret Okafor changed the metric Defects per million: the unit of measure from "
        "\u201cppm\u201d to \u201cper million\u201d and the frequency from monthly to quarterly"
    )
    edited = metric | {"targets": {"2026-06": 7.0}, "version": 3}
    assert _text(_event("metric", "dpm", "update", before=metric, after=edited)) == (
        "Margaret Okafor changed the monthly targets of the metric Defects per million"
    )
    assert _text(_event("metric", "dpm", "create", after={"id": "dpm"})) == (
        "Margaret Okafor added the metric Defects per million"
    )
    assert _text(_event("metric", "gone", "delete", before={"id": "gone"})) == (
        "Margaret Okafor removed the metric gone"
    )


def test_the_time_is_said_in_utc_whatever_zone_it_was_read_in() -> None:
    # 17:30 at UTC+1 is 16:30 UTC.
    paris = AT.astimezone(timezone(timedelta(hours=1)))
    event = Happened(paris, "cli:ana", "the command line (ana)", None, "objective", "A1",
                     "update", None, None)  # fmt: skip
    [line] = lines([event], WORDS)
    assert (line.at, line.when, line.text, line.origin) == (
        AT,
        "2026-12-04 16:30 UTC",
        "the command line (ana) changed the objective A1",
        None,
    )
