"""The workbook's tables (domain.sheets) of a small plan whose numbers are worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from hoshin.domain.analysis import analyze
from hoshin.domain.months import Month
from hoshin.domain.sheets import (
    SHEETS,
    Link,
    Row,
    Table,
    links_text,
    parse_ids,
    parse_links,
    plan_tables,
    target_months,
)
from sheet_plan import AS_OF, PLAN, Q1

M = Month.parse


def tables() -> dict[str, Table]:
    return {t.sheet.name: t for t in plan_tables(PLAN, analyze(PLAN, AS_OF), as_of=AS_OF)}


def rows(name: str) -> list[Row]:
    return list(tables()[name].rows)


def test_the_sheets_come_in_the_workbooks_order_each_with_its_header() -> None:
    assert [t.sheet.name for t in plan_tables(PLAN, analyze(PLAN, AS_OF), as_of=AS_OF)] == [
        "Objectives", "Metrics", "Targets", "Actions", "Risks", "Countermeasures", "Situation",
        "People", "Units", "Plan",
    ]  # fmt: skip
    assert tables()["Risks"].sheet.headers == ("action", "risk", "level", "trigger", "contingency")
    assert tables()["Situation"].sheet.headers == ("id", "kind", "text")
    for sheet in SHEETS:
        for row in tables()[sheet.name].rows:
            assert len(row) == len(sheet.columns)


def test_targets_hold_the_engines_plan_and_each_actuals_status() -> None:
    m1 = [row for row in rows("Targets") if row[0] == "M1"]
    # every month of the course: 2026-01 .. 2026-12
    assert [row[1] for row in m1] == [M("2026-01") + k for k in range(12)]
    by_month = {str(row[1]): row for row in m1}
    # 2026-02: plan 11, actual 11: on plan, green
    assert by_month["2026-02"][2:5] == (11, 11, "green")
    # 2026-03: plan 12, actual 11.5: (11.5 - 12) / 11 = -4.5% of the way, within 10%: amber
    assert by_month["2026-03"][2:5] == (12, 11.5, "amber")
    # 2026-04: plan 13, actual 11: (11 - 13) / 11 = -18%: red
    assert by_month["2026-04"][2:5] == (13, 11, "red")
    # June's plan is the target set by hand; no actual: no status
    assert by_month["2026-06"][2:] == (16.5, None, None, 16.5)
    assert by_month["2026-05"][2:] == (14, None, None, None)


def test_a_maintain_metric_has_a_row_per_actual_and_no_plan() -> None:
    q1 = [row for row in rows("Targets") if row[0] == "Q1"]
    # 95 is inside 90..100: green; 85 is below: red
    assert q1 == [("Q1", M("2026-02"), None, 95, "green", None),
                  ("Q1", M("2026-03"), None, 85, "red", None)]  # fmt: skip
    assert target_months(Q1) == [M("2026-02"), M("2026-03")]


def test_objectives_show_links_names_and_the_roll_up() -> None:
    b1, b2, a1 = rows("Objectives")
    assert b1[:10] == ("B1", "Grow orders", "breakthrough", "ana", "Ana Lima", "ops",
                       "Operations", M("2026-01"), M("2026-12"), None)  # fmt: skip
    assert a1[9] == "B1 (0.6), B2 (0.4, weak)"
    assert (b1[13], a1[13]) == ("W1, T1", None)  # the situation items it addresses
    # B1's one metric at 2026-04: 11 is 1/11 of the way, the plan 13 is 3/11: red
    assert b1[14] == pytest.approx(1 / 11)
    assert b1[15] == pytest.approx(3 / 11)
    assert b1[16] == "red"
    assert b2[16] == "red"  # Q1's latest actual (85) is outside its band
    assert b2[4] == "Bo Ek" and b2[6] is None  # no unit: no unit name


def test_metrics_show_the_current_value_and_this_months_plan() -> None:
    m1, q1 = rows("Metrics")
    assert m1[:3] == ("M1", "B1", "Orders a day")
    assert m1[-3:] == (11, 13, "red")  # April: 11 against a plan of 13
    assert q1[4] == "maintain" and q1[13:16] == ("quarterly", 90, 100)
    assert q1[-3:] == (85, None, "red")


def test_actions_show_the_backward_schedule() -> None:
    act1, act2 = rows("Actions")
    assert act1[:12] == ("act1", "Find a site", "ana", "Ana Lima", None, "A1", "M1, Q1 (medium)",
                         date(2026, 3, 1), date(2026, 3, 31), None, None, False)  # fmt: skip
    assert act1[13:15] == (5000, 0.5)
    dates = analyze(PLAN, AS_OF).actions["act1"]
    assert act1[15:18] == (dates.latest_start, dates.latest_finish, dates.slack_days)
    # due 2026-03-31, not done, as of 2026-04-15: 15 days late
    assert act1[19] == 15
    # done: not scheduled, not late
    assert act2[9:13] == (30, "act1", True, 100)
    assert act2[15:] == (None, None, None, False, None)


def test_the_rest_of_the_sheets() -> None:
    assert rows("Risks") == [("act1", "No site", "high", "No lease by May", "Rent")]
    assert rows("Situation") == [
        ("S1", "strength", "Loyal customers"), ("W1", "weakness", "One shop only"),
        ("T1", "threat", "A rival opens nearby"),
    ]  # fmt: skip
    assert rows("Countermeasures") == [
        ("c1", "M1", M("2026-04"), "Rain", None, "bo", date(2026, 5, 1), "open", None)
    ]
    assert rows("People")[0] == ("ana", "Ana Lima", "ops", "ana@example.com")
    assert rows("Units")[1] == ("ops", "Operations", "hq", "ana")
    assert rows("Plan") == [
        ("format version", 1), ("organisation", "Ørsted & Co"), ("fiscal year start", 4),
        ("vision statement", "Be first"), ("purpose", "Serve"), ("horizon", 2031),
        ("value", "Safety"), ("value", "Care"), ("as of", AS_OF),
    ]  # fmt: skip


def test_status_fills_colour_the_status_and_the_actual() -> None:
    targets = tables()["Targets"].sheet
    # actual (3) by status (4), status (4) by itself
    assert targets.fills == ((3, 4), (4, 4))


@pytest.mark.parametrize(
    ("text", "weighted", "links"),
    [
        ("B1", True, [Link("B1")]),
        ("B1 (0.6), B2 (0.4, weak)", True, [Link("B1", 0.6), Link("B2", 0.4, "weak")]),
        (" B1(weak) ,B2 ( 2 ) ", True, [Link("B1", None, "weak"), Link("B2", 2.0)]),
        ("M1, Q1 (Medium)", False, [Link("M1"), Link("Q1", None, "medium")]),
        ("", True, []),
    ],
)
def test_links_read_as_written(text: str, weighted: bool, links: list[Link]) -> None:
    assert parse_links(text, weighted=weighted) == links


@pytest.mark.parametrize(
    ("text", "weighted", "words"),
    [
        ("B1 (heavy)", True, "'heavy' after B1 is not a weight or strong, medium, weak"),
        ("M1 (0.5)", False, "'0.5' after M1 is not strong, medium or weak"),
        ("B1 (0.5", True, "cannot read"),
        ("B1 B2", True, "cannot read"),
    ],
)
def test_links_that_cannot_be_read_say_why(text: str, weighted: bool, words: str) -> None:
    with pytest.raises(ValueError, match=words.replace("(", r"\(")):
        parse_links(text, weighted=weighted)


def test_links_text_leaves_out_weight_one_and_strong() -> None:
    assert links_text(["B1", "B2", "B3"], {"B2": "weak"}, {"B1": 1.0, "B2": 1.0, "B3": 2.0}) == (
        "B1, B2 (weak), B3 (2)"
    )
    assert links_text([], {}) is None
    assert parse_ids(" a1, a2 ,") == ["a1", "a2"]
