"""The plan-editing forms' parsing, without a server: typed text in, domain values and
per-field problems out; stored state back to the text a form shows."""

from __future__ import annotations

from datetime import date

import pytest

from hoshin.domain.model import Action, Metric, Objective, Risk, Unit, Vision
from hoshin.domain.months import Month
from hoshin.web.edit_values import (
    action_values,
    differences,
    metric_values,
    objective_values,
    shown,
    vision_values,
)
from hoshin.web.forms import (
    Form,
    Reader,
    action_of,
    field_name,
    label,
    metric_of,
    objective_of,
    unit_of,
    vision_of,
)


@pytest.mark.parametrize(
    ("typed", "value", "problem"),
    [
        ("12.5", 12.5, None),
        (" -3 ", -3.0, None),
        ("1e3", 1000.0, None),
        ("", None, None),
        ("abc", None, "'abc' is not a number"),
        ("1,5", None, "'1,5' is not a number"),  # a decimal point, not a comma
        ("nan", None, "'nan' is not a number"),
        ("inf", None, "'inf' is not a number"),
    ],
)
def test_numbers(typed: str, value: float | None, problem: str | None) -> None:
    read = Reader({"baseline": typed})
    assert read.number("baseline") == value
    assert read.problems == ({} if problem is None else {"baseline": [problem]})


@pytest.mark.parametrize(
    ("typed", "value", "problem"),
    [
        ("2026-06", Month.of(2026, 6), None),
        ("2026-6", None, "'2026-6' is not a month: write YYYY-MM, e.g. 2026-06"),
        ("2026-13", None, "'2026-13' is not a month: 13 is not between 01 and 12"),
        ("June", None, "'June' is not a month: write YYYY-MM, e.g. 2026-06"),
        ("3000-01", None, "'3000-01' is outside the calendar: hoshin plans the years 1900 to 2999"),
    ],
)
def test_months(typed: str, value: Month | None, problem: str | None) -> None:
    read = Reader({"end": typed})
    assert read.month("end") == value
    assert read.problems == ({} if problem is None else {"end": [problem]})


@pytest.mark.parametrize(
    ("typed", "value", "problem"),
    [
        ("2026-06-30", date(2026, 6, 30), None),
        ("2026-06-31", None, "'2026-06-31' is not a date: day is out of range for month"),
        ("30/06/2026", None, "'30/06/2026' is not a date: write YYYY-MM-DD, e.g. 2026-06-30"),
        ("20260630", None, "'20260630' is not a date: write YYYY-MM-DD, e.g. 2026-06-30"),
        ("1800-01-01", None, "1800-01-01 is outside the calendar: hoshin plans the years 1900"
                             " to 2999"),
    ],
)  # fmt: skip
def test_days(typed: str, value: date | None, problem: str | None) -> None:
    read = Reader({"due": typed})
    assert read.day("due") == value
    assert read.problems == ({} if problem is None else {"due": [problem]})


def test_whole_numbers_and_their_range() -> None:
    read = Reader({"a": "30", "b": "1.5", "c": "10000"})
    assert read.whole("a", 1, 9999) == 30
    assert read.whole("b", 1, 9999) is None
    assert read.whole("c", 1, 9999) is None
    assert read.problems == {"b": ["'1.5' is not a whole number"], "c": ["must be from 1 to 9,999"]}


def test_ids_are_separated_by_commas_or_lines_and_listed_once() -> None:
    read = Reader({"requires": "a1, a3\na4,, ", "serves": "A1, A1", "moves": "x/y"})
    assert read.keys("requires") == ("a1", "a3", "a4")
    assert read.keys("serves") == ("A1",)
    assert read.keys("moves") == ("x/y",)
    assert read.problems == {
        "serves": ["listed more than once: A1"],
        "moves": [
            "x/y: contains '/', which an id cannot hold: letters, digits, '.', '_' and '-' only"
        ],
    }


def test_vision_values_one_a_line_and_the_horizon_a_year() -> None:
    fields = {"statement": " Safe care ", "purpose": "", "horizon": "2032",
              "values": "Safety first\r\n\r\n Respect \nKindness"}  # fmt: skip
    read = Reader(fields)
    assert vision_of(read) == Vision("Safe care", "", 2032, ("Safety first", "Respect", "Kindness"))
    assert read.problems == {}
    assert vision_values({"statement": "S", "purpose": None, "horizon": 2030,
                          "values": ["A", "B"]}) == {
        "statement": "S", "purpose": "", "horizon": "2030", "values": "A\nB"}  # fmt: skip


def test_a_new_unit_needs_an_id_and_a_name() -> None:
    read = Reader({"id": "", "name": " ", "parent": "clinic"})
    assert unit_of(read, None) == Unit("", "", "clinic")
    assert read.problems == {"id": ["required"], "name": ["required"]}
    read = Reader({"name": "Ward B", "id": "ignored"})
    assert unit_of(read, "ward-b") == Unit("ward-b", "Ward B")  # an edit keeps the path's id


def test_objective_supports_rows_with_weights_removal_and_a_new_row() -> None:
    """Row 0 B1 weight 2; row 1 A1 ticked Remove; row 2 empty; the new row T1 without a
    weight takes 1 (as a plan file's list of ids does)."""
    fields = {
        "title": "Audit falls", "level": "team", "end": "2026-12", "tolerance": "",
        "supports-0-id": "B1", "supports-0-weight": "2",
        "supports-1-id": "A1", "supports-1-weight": "1", "supports-1-remove": "on",
        "supports-2-id": "", "supports-2-weight": "",
        "supports-new-id": "T1", "supports-new-weight": "",
    }  # fmt: skip
    read = Reader(fields)
    objective = objective_of(read, "T2")
    assert objective == Objective(
        "T2", "Audit falls", "team", end=Month.of(2026, 12), supports={"B1": 2.0, "T1": 1.0}
    )
    assert read.problems == {}


def test_objective_problems_name_their_rows() -> None:
    fields = {"title": "X", "level": "squad", "supports-0-id": "B1", "supports-0-weight": "two",
              "supports-new-id": "B1"}  # fmt: skip
    read = Reader(fields)
    objective_of(read, "X")
    assert read.problems == {
        "level": ["must be one of breakthrough, annual, team, individual"],
        "supports-0-weight": ["'two' is not a number"],
        "supports-new-id": ["B1 is linked twice"],
    }


def test_metric_trajectory_is_implied_by_a_rate_per_year() -> None:
    """As in a plan file: a rate per year without a trajectory is compound; a target is linear."""
    falls = {"name": "Falls", "direction": "decrease", "baseline": "40",
             "baseline_period": "2025-05", "rate_per_year": "-0.5", "target_period": "2027-05",
             "tolerance": "", "weight": "", "targets": "2026-05: 20\n2026-11 = 14.5"}  # fmt: skip
    read = Reader(falls)
    metric = metric_of(read, "falls")
    assert metric == Metric(
        "falls", "Falls", "decrease", 40.0, Month.of(2025, 5), None, -0.5, Month.of(2027, 5),
        "compound", {Month.of(2026, 5): 20.0, Month.of(2026, 11): 14.5},
    )  # fmt: skip
    assert read.problems == {}
    assert metric_of(Reader({"name": "N", "target": "40"}), "n").trajectory == "linear"


def test_metric_targets_lines_must_be_month_and_number() -> None:
    read = Reader({"name": "N", "targets": "2026-05 20\n2026-06: x"})
    metric_of(read, "n")
    assert read.problems == {
        "targets": [
            "'2026-05 20' is not 'YYYY-MM: number'",
            "'2026-06: x' is not 'YYYY-MM: number'",
        ]
    }


def test_action_links_dates_resources_and_risks() -> None:
    fields = {
        "title": "Roll out huddles", "owner": "ben", "serves": "A1", "moves": "huddles",
        "requires": "a1, a3", "due": "2026-07-31", "duration_days": "30", "progress": "",
        "done": "on", "budget": "45000", "fte": "0.5",
        "risks-0-risk": "Night shifts skip it", "risks-0-contingency": "Move it to handover",
        "risks-1-risk": "", "risks-1-contingency": "",
        "risks-new-risk": "", "risks-new-contingency": "Ask the float pool",
    }  # fmt: skip
    read = Reader(fields)
    action = action_of(read, "a2")
    assert action == Action(
        "a2", "Roll out huddles", "ben", None, ("A1",), ("huddles",), None, date(2026, 7, 31),
        30, ("a1", "a3"), True, 0.0, 45000.0, 0.5,
        (Risk("Night shifts skip it", "Move it to handover"),),
    )  # fmt: skip
    assert read.problems == {"risks-new-risk": ["a contingency needs the risk it answers"]}


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("target", "target"),
        ("resources.fte", "fte"),
        ("resources.budget", "budget"),
        ("supports.A1", "supports-1-id"),
        ("supports.T9", "supports"),
        ("supports", "supports"),
        ("requires.a9", "requires"),
        ("id", "id"),
    ],
)
def test_service_problems_land_on_the_field_that_holds_them(path: str, field: str) -> None:
    values = {"supports-0-id": "B1", "supports-1-id": " A1 "}
    assert field_name(path, values) == field


def test_form_collects_service_detail_once_per_reason() -> None:
    form = Form({"supports-new-id": "T1"})
    reason = "supports links form a cycle: B1 -> T1 -> A1 -> B1"
    cycle = {"field": "supports", "reason": reason}
    form.add_detail([cycle, cycle, {"field": "supports.T1", "reason": "unknown objective 'T1'"}])
    form.add_detail("not a list")
    assert form.problems == {"supports": [reason], "supports-new-id": ["unknown objective 'T1'"]}
    assert form.listed()[1] == (
        "supports-new-id",
        "new supports link, id",
        "unknown objective 'T1'",
    )


def test_stored_state_as_form_text() -> None:
    objective = {"id": "T1", "title": "Train", "level": "team", "owner": "ben", "unit": None,
                 "start": "2026-01", "tolerance": 0.1, "supports": {"A1": 1.0}}  # fmt: skip
    values = objective_values(objective)
    assert values["tolerance"] == "0.1"
    assert values["unit"] == ""
    assert (values["supports-0-id"], values["supports-0-weight"]) == ("A1", "1")
    metric = metric_values({"id": "falls", "baseline": 40.0, "targets": {"2026-05": 20.0}})
    assert (metric["baseline"], metric["targets"], metric["min"]) == ("40", "2026-05: 20", "")
    action = action_values({"requires": ["a1", "a3"], "done": True, "progress": 50.0,
                            "resources": {"budget": 45000.0, "fte": None},
                            "risks": [{"risk": "R", "contingency": None}]})  # fmt: skip
    assert action["requires"] == "a1, a3"
    assert (action["done"], action["progress"], action["budget"], action["fte"]) == (
        "on", "50", "45000", "")  # fmt: skip
    assert (action["risks-0-risk"], action["risks-0-contingency"]) == ("R", "")
    assert shown(0.1 + 0.2) == "0.3"


def test_what_changed_meanwhile_lists_the_saved_values_that_differ() -> None:
    typed = {"name": "Ward A west", "parent": "clinic", "version": "1", "supports-new-id": "X"}
    saved = {"name": "Ward A east", "parent": "clinic"}
    assert differences(typed, saved) == [("name", "Ward A east")]
    assert label("risks-0-contingency") == "risk 1, contingency"
    assert label("baseline_period") == "baseline period"


def test_text_fields_keep_domain_texts_rule_by_kind() -> None:
    """A title is one line of at most 300 characters: a tab or a 301st character is refused
    in place; a description keeps its line breaks (CRLF as LF) but not a NUL."""
    read = Reader({"id": "o1", "title": "Cut\twaiting", "description": "Why:\r\nless waiting\x00"})
    objective = objective_of(read, None)
    assert objective.title == "" and objective.description is None
    assert read.problems == {
        "title": [
            "contains the control character U+0009 (a line break or tab), which is not allowed"
        ],
        "description": ["contains the control character U+0000, which is not allowed"],
    }
    fine = Reader({"id": "o1", "title": "t" * 300, "description": "Why:\r\nless waiting"})
    assert objective_of(fine, None).description == "Why:\nless waiting" and fine.problems == {}
    long = Reader({"id": "u1", "name": "n" * 301})
    unit_of(long, None)
    assert long.problems == {"name": ["is 301 characters long: at most 300"]}
