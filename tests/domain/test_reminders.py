"""The reminder scheduler's pure core: what is due, to whom, as of a day, by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.domain.analysis import analyze
from hoshin.domain.model import (
    Action,
    Countermeasure,
    Frequency,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Unit,
)
from hoshin.domain.months import Month
from hoshin.domain.notices import Notice
from hoshin.domain.reminders import (
    DIGEST_SHOWN,
    due_day,
    escalation_level,
    iso_week,
    latest_due_month,
    reminders,
    running,
)


def m(text: str) -> Month:
    return Month.parse(text)


def maybe(text: str | None) -> Month | None:
    return None if text is None else m(text)


def d(text: str) -> date:
    return date.fromisoformat(text)


def on_plan(*months: str, **off: float) -> dict[Month, float]:
    """Actuals on plan (10 a month from 0 in 2025-12: 10 * n in month n of 2026), with the
    months named in ``off`` (as ``m2026_11``) set to the value given."""
    values = {m(text): 10.0 * m(text).number for text in months}
    values.update({m(key[1:].replace("_", "-")): value for key, value in off.items()})
    return values


def metric(key: str, name: str, *, owner: str | None = None, frequency: Frequency = "monthly",
           actuals: dict[Month, float] | None = None) -> Metric:  # fmt: skip
    """0 in 2025-12 to 120 in 2026-12, 10 a month; red more than 12 below plan (10 %)."""
    return Metric(key, name, baseline=0.0, baseline_period=m("2025-12"), target=120.0,
                  target_period=m("2026-12"), frequency=frequency, owner=owner,
                  actuals=actuals or {})  # fmt: skip


JAN_OCT = [f"2026-{n:02d}" for n in range(1, 11)]
JAN_NOV = [*JAN_OCT, "2026-11"]

# A clinic (lead in brackets); chains of leads going up (domain.responsible):
#   hosp [cat]                 hosp: (cat)
#   ├── nursing [nina]         nursing: (nina, cat)
#   │   └── ward-a [—]         ward-a: (nina, cat)
#   └── lab [lou]              lab: (lou, cat)
UNITS = (
    Unit("hosp", "Hospital", lead="cat"),
    Unit("nursing", "Nursing", "hosp", lead="nina"),
    Unit("ward-a", "Ward A", "nursing"),
    Unit("lab", "Laboratory", "hosp", lead="lou"),
)
PEOPLE = (
    Person("cat", "Cat Chief", "hosp"), Person("nina", "Nina Nurse", "nursing"),
    Person("ana", "Ana Lima", "ward-a"), Person("ben", "Ben Ode", "ward-a"),
    Person("lou", "Lou Lab", "lab"), Person("lee", "Lee Tech", "lab"),
)  # fmt: skip
OBJECTIVES = (
    Objective("B1", "Cut defects", "breakthrough", owner="cat", unit="nursing",
              start=m("2026-01"), end=m("2026-12"), metrics=(
        # ana's own metric; November missing
        metric("huddles", "Huddles held", owner="ana", actuals=on_plan(*JAN_OCT)),
        # cat's (the objective's); November 50 against 110 planned: (50 - 110) / 120 = -0.5, red
        metric("audits", "Audits done", actuals=on_plan(*JAN_NOV, m2026_11=50.0)),
    )),
    Objective("A1", "Faster results", "annual", owner="lou", unit="lab",
              start=m("2026-01"), end=m("2026-12"), metrics=(
        metric("tat", "Turnaround", actuals=on_plan(*JAN_NOV)),
        # lee's; November 40, red, but CM1 answers November
        metric("samples", "Samples checked", owner="lee",
               actuals=on_plan(*JAN_NOV, m2026_11=40.0)),
    )),
    Objective("A2", "Safer wards", "annual", owner="ben", unit="ward-a",
              start=m("2026-01"), end=m("2026-12"), metrics=(
        # quarterly: March and June in, the quarter July..September missing
        metric("falls", "Falls reviews", frequency="quarterly",
               actuals=on_plan("2026-03", "2026-06")),
    )),
    Objective("A3", "Later project", "annual", owner="ben", unit="ward-a",
              start=m("2027-01"), end=m("2027-12"), metrics=(
        Metric("later", "Not yet", baseline=0.0, baseline_period=m("2026-12"), target=1.0,
               target_period=m("2027-12")),
    )),
    # an owner the plan does not have: only the lead hears of its escalation
    Objective("A4", "Ghost work", "annual", owner="ghost", unit="lab",
              start=m("2026-01"), end=m("2026-12"),
              metrics=(metric("ghosted", "Unowned count"),)),
)  # fmt: skip
ACTIONS = (
    Action("X1", "Train staff", owner="ana", serves=("B1",), due=d("2026-12-01")),
    Action("X2", "Buy kit", owner="ben", due=d("2026-12-14")),
    Action("X3", "Write guide", owner="ben", due=d("2026-12-15")),  # 8 days ahead: not yet
    Action("X4", "Old task", owner="lee", due=d("2026-11-01"), done=True),
    Action("X5", "Nobody's", owner="ghost", due=d("2026-12-02")),
)
MEASURES = (
    Countermeasure("CM1", "samples", m("2026-11"), owner="lee", due=d("2026-12-10")),
    Countermeasure("CM2", "audits", m("2026-10"), owner="nina", due=d("2026-11-20"),
                   status="in_progress"),
    Countermeasure("CM3", "tat", m("2026-05"), owner="lou", due=d("2026-11-01"), status="closed"),
)  # fmt: skip
CLINIC = Plan(Organization("Clinic"), units=UNITS, people=PEOPLE, objectives=OBJECTIVES,
              actions=ACTIONS, countermeasures=MEASURES)  # fmt: skip
MONDAY = d("2026-12-07")  # November's actuals were due 2026-12-01: 6 days ago


def run(plan: Plan = CLINIC, as_of: date = MONDAY, *, lead_days: int = 0,
        escalation_days: int = 5) -> list[Notice]:  # fmt: skip
    return reminders(plan, analyze(plan, as_of), as_of=as_of, slug="clinic",
                     lead_days=lead_days, escalation_days=escalation_days)  # fmt: skip


def by_key(notices: list[Notice]) -> dict[str, Notice]:
    return {notice.key: notice for notice in notices}


@pytest.mark.parametrize(
    ("month", "lead_days", "due"),
    [
        ("2026-11", 0, "2026-12-01"),  # the day after November's 30th
        ("2026-11", 3, "2026-11-28"),  # 3 days before: 30 + 1 - 3
        ("2026-02", 0, "2026-03-01"),
        ("2026-02", 1, "2026-02-28"),  # 28 + 1 - 1
        ("2024-02", 1, "2024-02-29"),  # a leap year: 29 + 1 - 1
        ("2026-12", 0, "2027-01-01"),
        ("2026-11", 40, "2026-11-04"),  # at most 27 lead days: 30 + 1 - 27
        ("2026-11", -3, "2026-12-01"),  # no negative lead
    ],
)
def test_an_actual_is_due_the_day_after_its_month_less_the_lead_days(
    month: str, lead_days: int, due: str
) -> None:
    assert due_day(m(month), lead_days) == d(due)


@pytest.mark.parametrize(
    ("frequency", "as_of", "lead_days", "fiscal", "month"),
    [
        ("monthly", "2026-12-01", 0, 1, "2026-11"),  # December is due 2027-01-01
        ("monthly", "2026-11-30", 0, 1, "2026-10"),  # November not before 2026-12-01
        ("monthly", "2026-11-28", 3, 1, "2026-11"),  # November due 2026-11-28 with 3 days
        ("monthly", "2026-11-27", 3, 1, "2026-10"),
        ("monthly", "2027-01-15", 0, 4, "2026-12"),  # the fiscal year changes nothing monthly
        ("quarterly", "2026-12-01", 0, 1, "2026-09"),  # quarters end Mar, Jun, Sep, Dec
        ("quarterly", "2027-01-01", 0, 1, "2026-12"),
        ("quarterly", "2026-12-29", 3, 1, "2026-12"),  # December due 2026-12-29
        ("quarterly", "2026-12-28", 3, 1, "2026-09"),
        ("quarterly", "2026-12-01", 0, 4, "2026-09"),  # from April: Jun, Sep, Dec, Mar
        ("quarterly", "2026-12-01", 0, 2, "2026-10"),  # from February: Apr, Jul, Oct, Jan
        ("quarterly", "2026-11-01", 0, 2, "2026-10"),  # October due 2026-11-01
        ("quarterly", "2026-10-31", 0, 2, "2026-07"),
    ],
)
def test_the_latest_month_due(
    frequency: Frequency, as_of: str, lead_days: int, fiscal: int, month: str
) -> None:
    assert latest_due_month(frequency, d(as_of), lead_days, fiscal) == m(month)


@pytest.mark.parametrize(
    ("day", "week"),
    [
        # 2026-01-01 is a Thursday: week 1 runs from Monday 2025-12-29
        ("2026-01-01", "2026-W01"),
        ("2025-12-29", "2026-W01"),
        ("2026-12-01", "2026-W49"),  # 337 days after 2025-12-29: 48 weeks and 1 day
        ("2026-12-07", "2026-W50"),  # a Monday, 49 weeks after
        ("2027-01-01", "2026-W53"),  # 2026 has 53 weeks (it starts on a Thursday)
        ("2027-01-04", "2027-W01"),
    ],
)
def test_iso_week(day: str, week: str) -> None:
    assert iso_week(d(day)) == week


@pytest.mark.parametrize(
    ("as_of", "days", "level"),
    [
        ("2026-12-01", 5, 0),  # due 2026-12-01: 0 days late
        ("2026-12-05", 5, 0),  # 4
        ("2026-12-06", 5, 1),  # 5
        ("2026-12-10", 5, 1),  # 9
        ("2026-12-11", 5, 2),  # 10 = 2 x 5
        ("2027-03-01", 5, 2),
        ("2026-12-02", 1, 1),  # 1
        ("2026-12-03", 1, 2),  # 2
        ("2026-12-31", 0, 0),  # 0 escalation days: escalation off
        ("2026-11-30", 5, 0),  # before the due day
    ],
)
def test_escalation_level(as_of: str, days: int, level: int) -> None:
    assert escalation_level(d("2026-12-01"), d(as_of), days) == level


@pytest.mark.parametrize(
    ("start", "end", "baseline", "target", "frequency", "actuals", "month", "runs"),
    [
        ("2026-03", "2026-10", "2026-02", None, "monthly", False, "2026-02", False),  # before start
        ("2026-03", "2026-10", "2026-02", None, "monthly", False, "2026-03", True),  # first due
        ("2026-03", "2026-10", "2026-03", None, "monthly", False, "2026-03", False),  # baseline
        ("2026-03", "2026-10", "2026-02", None, "monthly", False, "2026-10", True),  # the end
        ("2026-03", "2026-10", "2026-02", None, "monthly", False, "2026-11", False),  # after end
        ("2026-03", "2026-10", "2026-02", "2026-09", "monthly", True, "2026-10", False),  # target
        # quarterly from 2026-03: its first actual is due at the next quarter's end, June
        (None, None, "2026-03", None, "quarterly", False, "2026-05", False),
        (None, None, "2026-03", None, "quarterly", False, "2026-06", True),
        # no baseline month: the objective's start is the first month due
        ("2026-04", None, None, None, "monthly", False, "2026-04", True),
        (None, None, None, None, "monthly", False, "2020-01", True),  # nothing bounds it
        (None, None, None, None, "monthly", True, "2020-01", True),
    ],
)
def test_a_metric_is_asked_for_months_its_objective_runs(
    start: str | None, end: str | None, baseline: str | None, target: str | None,
    frequency: Frequency, actuals: bool, month: str, runs: bool,
) -> None:  # fmt: skip
    objective = Objective("o", "O", "annual", start=maybe(start), end=maybe(end))
    measure = Metric("x", "X", frequency=frequency, baseline_period=maybe(baseline),
                     target_period=maybe(target),
                     actuals={m("2026-01"): 1.0} if actuals else {})  # fmt: skip
    assert running(objective, measure, m(month), 1) is runs


WEEK = "2026-W50"
CLINIC_KEYS = {
    # 1. November's actual of huddles (ana's own metric); September's quarter of falls (ben's)
    "actual_due|ana|metric:huddles|2026-11",
    "actual_due|ben|metric:falls|2026-09",
    # 2. huddles: 6 days late (>= 5): ana and the first lead of nursing, nina
    "escalation:1|ana|metric:huddles|2026-11",
    "escalation:1|nina|metric:huddles|2026-11",
    # falls: due 2026-10-01, 67 days late (>= 10): ben, ward-a's first two leads nina and cat
    "escalation:2|ben|metric:falls|2026-09",
    "escalation:2|nina|metric:falls|2026-09",
    "escalation:2|cat|metric:falls|2026-09",
    # ghosted: no actual since its first due month; its owner is nobody: lab's lead only
    "escalation:1|lou|metric:ghosted|2026-11",
    # 3. audits red in November without a countermeasure: cat (owner) and, as cat leads
    # nursing's chain too, the first lead other than cat, nina
    "metric_red|cat|metric:audits|2026-11",
    "metric_red|nina|metric:audits|2026-11",
    # 4. X1 due 2026-12-01 (overdue), X2 2026-12-14 (7 days), CM1 2026-12-10, CM2 overdue
    f"deadline:overdue|ana|action:X1|{WEEK}",
    "deadline:soon|ben|action:X2|2026-12-14",
    "deadline:soon|lee|countermeasure:CM1|2026-12-10",
    f"deadline:overdue|nina|countermeasure:CM2|{WEEK}",
    # 5. Monday: a digest for everyone with something in it
    *(f"digest|{p}|person:{p}|{WEEK}" for p in ("ana", "ben", "cat", "lee", "lou", "nina")),
}


def test_the_clinics_monday() -> None:
    notices = run()
    assert [n.key for n in notices] == sorted(CLINIC_KEYS)


def test_notices_say_what_and_where() -> None:
    notices = by_key(run())
    due = notices["actual_due|ana|metric:huddles|2026-11"]
    assert due.title == "November 2026's actual of Huddles held (B1 Cut defects) is due"
    assert due.link == "/orgs/clinic/check-in?month=2026-11&unit=nursing"
    assert due.body == "It was due on 2026-12-01: record it on the check-in."
    falls = notices["escalation:2|cat|metric:falls|2026-09"]
    assert falls.title == (
        "Still missing: September 2026's actual of Falls reviews (A2 Safer wards), due 2026-10-01"
    )
    assert falls.body == "Owner: Ben Ode. Missing 67 days after its due day; level 2."
    assert falls.data["leads"] == ["nina", "cat"]
    red = notices["metric_red|nina|metric:audits|2026-11"]
    assert red.title == "Audits done (B1 Cut defects) is red in November 2026"
    assert red.link == "/orgs/clinic/objectives/B1"
    x1 = notices[f"deadline:overdue|ana|action:X1|{WEEK}"]
    assert (x1.title, x1.link) == ("Action X1 Train staff is overdue since 2026-12-01",
                                   "/orgs/clinic/objectives/B1")  # fmt: skip
    assert notices["deadline:soon|ben|action:X2|2026-12-14"].link == "/orgs/clinic/my-work"
    cm1 = notices["deadline:soon|lee|countermeasure:CM1|2026-12-10"]
    assert cm1.title == "Countermeasure CM1 for Samples checked (2026-11) is due on 2026-12-10"
    assert cm1.link == "/orgs/clinic/countermeasures/CM1"


@pytest.mark.parametrize(
    ("person", "totals", "late"),
    [
        # ana: huddles missing and X1 overdue; leads nothing
        ("ana", {"owe": 2, "red": 0, "late": 0}, []),
        # ben: falls missing, X2 due in 7 days (not late for anyone)
        ("ben", {"owe": 2, "red": 0, "late": 0}, []),
        # cat leads every unit: the missing actuals (huddles, falls, ghosted), then the
        # overdue items of others (X1: ana's unit ward-a; CM2: nina's, of B1 in nursing);
        # cat's own audits are red
        ("cat", {"owe": 0, "red": 1, "late": 5},
         ["November 2026's actual of Huddles held (B1 Cut defects) is missing",
          "September 2026's actual of Falls reviews (A2 Safer wards) is missing",
          "November 2026's actual of Unowned count (A4 Ghost work) is missing",
          "Action X1 Train staff overdue since 2026-12-01",
          "Countermeasure CM2 for Audits done (2026-10) overdue since 2026-11-20"]),
        # nina owes CM2, leads nursing and ward-a (not her own CM2)
        ("nina", {"owe": 1, "red": 0, "late": 3},
         ["November 2026's actual of Huddles held (B1 Cut defects) is missing",
          "September 2026's actual of Falls reviews (A2 Safer wards) is missing",
          "Action X1 Train staff overdue since 2026-12-01"]),
        # lee: CM1 due in 3 days; samples red in November (answered by CM1, still red)
        ("lee", {"owe": 1, "red": 1, "late": 0}, []),
        # lou leads lab: ghosted is missing there
        ("lou", {"owe": 0, "red": 0, "late": 1},
         ["November 2026's actual of Unowned count (A4 Ghost work) is missing"]),
    ],
)  # fmt: skip
def test_the_digest_lists_what_i_owe_what_is_red_and_what_is_late_below_me(
    person: str, totals: dict[str, int], late: list[str]
) -> None:
    digest = by_key(run())[f"digest|{person}|person:{person}|{WEEK}"]
    assert digest.data["totals"] == totals
    assert [entry["title"] for entry in digest.data["late"]] == late
    assert digest.link == "/orgs/clinic/my-work"
    owe, red = totals["owe"], totals["red"]
    assert digest.title == f"Your week: {owe} to do, {red} red, {len(late)} late in your units"


def test_a_digest_shows_the_first_entries_and_counts_them_all() -> None:
    # 25 objectives of ana in ward-a, each with a metric missing November: nina sees the
    # first DIGEST_SHOWN (20) and a total of 25
    objectives = tuple(
        Objective(f"O{i:02d}", f"Goal {i}", "team", owner="ana", unit="ward-a",
                  start=m("2026-01"), end=m("2026-12"),
                  metrics=(metric(f"k{i:02d}", f"Count {i}", actuals=on_plan(*JAN_OCT)),))
        for i in range(25)
    )  # fmt: skip
    plan = Plan(Organization("Clinic"), units=UNITS, people=PEOPLE, objectives=objectives)
    digest = by_key(run(plan))[f"digest|nina|person:nina|{WEEK}"]
    assert digest.data["totals"]["late"] == 25
    assert len(digest.data["late"]) == DIGEST_SHOWN
    assert digest.data["late"][0]["title"].endswith("(O00 Goal 0) is missing")


# One metric of ana (unit ward-a: leads nina, then cat), actuals through October 2026.
HUDDLES = Plan(Organization("Clinic"), units=UNITS, people=PEOPLE, objectives=(
    Objective("B1", "Cut defects", "breakthrough", owner="cat", unit="ward-a",
              start=m("2026-01"), end=m("2026-12"),
              metrics=(metric("huddles", "Huddles", owner="ana", actuals=on_plan(*JAN_OCT)),)),
))  # fmt: skip


@pytest.mark.parametrize(
    ("as_of", "lead_days", "escalation_days", "keys"),
    [
        ("2026-11-30", 0, 5, []),  # October is the latest due, and in
        ("2026-12-01", 0, 5, ["actual_due|ana|2026-11"]),  # November due today
        ("2026-12-05", 0, 5, ["actual_due|ana|2026-11"]),  # 4 days late
        ("2026-12-06", 0, 5, ["actual_due|ana|2026-11", "escalation:1|ana|2026-11",
                              "escalation:1|nina|2026-11"]),  # 5 days late
        ("2026-12-10", 0, 5, ["actual_due|ana|2026-11", "escalation:1|ana|2026-11",
                              "escalation:1|nina|2026-11"]),  # 9
        ("2026-12-11", 0, 5, ["actual_due|ana|2026-11", "escalation:2|ana|2026-11",
                              "escalation:2|cat|2026-11", "escalation:2|nina|2026-11"]),  # 10
        ("2026-11-27", 3, 5, []),  # November due 2026-11-28 with 3 lead days
        ("2026-11-28", 3, 5, ["actual_due|ana|2026-11"]),
        ("2026-12-03", 3, 5, ["actual_due|ana|2026-11", "escalation:1|ana|2026-11",
                              "escalation:1|nina|2026-11"]),  # 5 days after 2026-11-28
        ("2026-12-03", 0, 2, ["actual_due|ana|2026-11", "escalation:1|ana|2026-11",
                              "escalation:1|nina|2026-11"]),  # 2 days, escalation after 2
        ("2026-12-05", 0, 2, ["actual_due|ana|2026-11", "escalation:2|ana|2026-11",
                              "escalation:2|cat|2026-11", "escalation:2|nina|2026-11"]),  # 4
        ("2026-12-20", 0, 0, ["actual_due|ana|2026-11"]),  # escalation off
        # only the latest month due is asked for: December, not November as well
        ("2027-01-01", 0, 5, ["actual_due|ana|2026-12"]),
        ("2027-02-01", 0, 5, []),  # January 2027 is after B1's end
    ],
)  # fmt: skip
def test_an_actual_is_due_then_escalated(
    as_of: str, lead_days: int, escalation_days: int, keys: list[str]
) -> None:
    found = run(HUDDLES, d(as_of), lead_days=lead_days, escalation_days=escalation_days)
    shown = [n.key.replace("|metric:huddles", "") for n in found if n.event != "digest"]
    assert shown == keys


@pytest.mark.parametrize(
    ("actuals", "as_of", "keys"),
    [
        # quarterly, the quarter July..September due 2026-10-01; an actual in any of its
        # months counts for the quarter
        ({"2026-06": 60.0}, "2026-10-02", ["actual_due|ana|2026-09"]),
        ({"2026-08": 80.0}, "2026-10-02", []),
        ({"2026-07": 70.0}, "2026-10-02", []),
        ({"2026-09": 90.0}, "2026-10-02", []),
        ({"2026-06": 60.0}, "2026-09-30", []),  # June's quarter is in; September's not yet due
        ({"2026-06": 60.0}, "2026-11-15", ["actual_due|ana|2026-09"]),  # still September's
    ],
)
def test_a_quarterly_actual_is_due_at_its_quarters_end(
    actuals: dict[str, float], as_of: str, keys: list[str]
) -> None:
    quarterly = metric("huddles", "Huddles", owner="ana", frequency="quarterly",
                       actuals={m(k): v for k, v in actuals.items()})  # fmt: skip
    objective = Objective("B1", "Cut defects", "breakthrough", unit="ward-a",
                          start=m("2026-01"), end=m("2026-12"), metrics=(quarterly,))  # fmt: skip
    plan = Plan(Organization("Clinic"), units=UNITS, people=PEOPLE, objectives=(objective,))
    found = run(plan, d(as_of), escalation_days=0)
    assert [n.key.replace("|metric:huddles", "") for n in found if n.event != "digest"] == keys


@pytest.mark.parametrize(
    ("owner", "unit", "red_to"),
    [
        ("ana", "ward-a", ["ana", "nina"]),  # the owner and ward-a's first lead, nina's
        ("nina", "ward-a", ["cat", "nina"]),  # nina leads ward-a's chain: the next lead, cat
        ("cat", "hosp", ["cat"]),  # nobody above cat
        ("ghost", "lab", ["lou"]),  # an owner the plan lacks: the lead only
        ("lee", None, ["lee", "lou"]),  # no unit on the objective: the owner's (lab: lou)
    ],
)
def test_a_red_metric_goes_to_its_owner_and_the_lead_above(
    owner: str, unit: str | None, red_to: list[str]
) -> None:
    # 50 in November against 110 planned: red; no countermeasure
    red = metric("k", "Count", owner=owner, actuals=on_plan(*JAN_NOV, m2026_11=50.0))
    objective = Objective("O", "Goal", "team", unit=unit, start=m("2026-01"), end=m("2026-12"),
                          metrics=(red,))  # fmt: skip
    plan = Plan(Organization("Clinic"), units=UNITS, people=PEOPLE, objectives=(objective,))
    found = run(plan, d("2026-12-02"))
    assert [n.person for n in found if n.event == "metric_red"] == red_to


@pytest.mark.parametrize(
    ("due", "done", "keys"),
    [
        ("2026-12-09", False, ["deadline:soon|ana|action:X|2026-12-09"]),  # 7 days ahead
        ("2026-12-10", False, []),  # 8 days ahead
        ("2026-12-02", False, ["deadline:soon|ana|action:X|2026-12-02"]),  # today: not late
        ("2026-12-01", False, ["deadline:overdue|ana|action:X|2026-W49"]),  # yesterday
        ("2026-01-01", False, ["deadline:overdue|ana|action:X|2026-W49"]),
        ("2026-12-01", True, []),  # done
    ],
)
def test_an_actions_deadline(due: str, done: bool, keys: list[str]) -> None:
    action = Action("X", "Do it", owner="ana", due=d(due), done=done)
    plan = Plan(Organization("Clinic"), units=UNITS, people=PEOPLE, actions=(action,))
    assert [n.key for n in run(plan, d("2026-12-02"))] == keys  # a Wednesday: no digest


@pytest.mark.parametrize(
    ("status", "due", "keys"),
    [
        ("open", "2026-12-05", ["deadline:soon|lee|countermeasure:C|2026-12-05"]),
        ("in_progress", "2026-11-05", ["deadline:overdue|lee|countermeasure:C|2026-W49"]),
        ("closed", "2026-11-05", []),
    ],
)
def test_a_countermeasures_deadline(status: str, due: str, keys: list[str]) -> None:
    measure = Countermeasure("C", "nowhere", m("2026-10"), owner="lee", due=d(due),
                             status=status)  # type: ignore[arg-type]  # fmt: skip
    plan = Plan(Organization("Clinic"), units=UNITS, people=PEOPLE, countermeasures=(measure,))
    assert [n.key for n in run(plan, d("2026-12-02"))] == keys


def test_an_overdue_item_repeats_weekly_and_a_coming_one_once() -> None:
    plan = Plan(Organization("Clinic"), people=PEOPLE, actions=(
        Action("late", "Late", owner="ana", due=d("2026-11-01")),
        Action("soon", "Soon", owner="ana", due=d("2026-12-20")),
    ))  # fmt: skip
    days = [d("2026-12-14") + timedelta(days=n) for n in range(7)]  # Monday to Sunday
    keys = {n.key for day in days for n in run(plan, day) if n.event == "deadline"}
    # one overdue key for week 51, one soon key for the due day (a Monday's digest aside)
    assert keys == {"deadline:overdue|ana|action:late|2026-W51",
                    "deadline:soon|ana|action:soon|2026-12-20"}  # fmt: skip


def test_no_digest_but_on_mondays() -> None:
    tuesday = MONDAY + timedelta(days=1)
    assert [n for n in run(as_of=tuesday) if n.event == "digest"] == []


# Random plans: units in a tree with leads, objectives and metrics with some actuals,
# owners among the people and some who are not, actions and countermeasures.
NAMES = ["p0", "p1", "p2", "p3", "ghost"]
MONTHS = [m("2026-01") + k for k in range(14)]


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    units = []
    for i in range(draw(st.integers(0, 4))):
        parent = f"u{draw(st.integers(0, i - 1))}" if i and draw(st.booleans()) else None
        units.append(Unit(f"u{i}", f"U{i}", parent, draw(st.none() | st.sampled_from(NAMES))))
    unit_ids = st.sampled_from([None, *(u.id for u in units)])
    people = tuple(Person(p, p.upper(), draw(unit_ids)) for p in NAMES[:4] if draw(st.booleans()))
    objectives = []
    for i in range(draw(st.integers(0, 4))):
        measures = tuple(
            Metric(f"o{i}m{k}", "M", baseline=0.0, baseline_period=m("2025-12"), target=120.0,
                   target_period=m("2027-06"), owner=draw(st.none() | st.sampled_from(NAMES)),
                   frequency=draw(st.sampled_from(["monthly", "quarterly"])),
                   actuals=draw(st.dictionaries(st.sampled_from(MONTHS), st.floats(0, 150))))
            for k in range(draw(st.integers(0, 3)))
        )  # fmt: skip
        objectives.append(Objective(f"o{i}", "O", "team", owner=draw(st.sampled_from(NAMES)),
                                    unit=draw(unit_ids), start=m("2026-01"), end=m("2027-06"),
                                    metrics=measures))  # fmt: skip
    days = st.dates(date(2026, 1, 1), date(2027, 6, 30))
    actions = tuple(
        Action(f"a{i}", "A", owner=draw(st.sampled_from(NAMES)), due=draw(days),
               done=draw(st.booleans()))
        for i in range(draw(st.integers(0, 3)))
    )  # fmt: skip
    metric_ids = [x.id for o in objectives for x in o.metrics] or ["none"]
    answers = tuple(
        Countermeasure(f"c{i}", draw(st.sampled_from(metric_ids)), draw(st.sampled_from(MONTHS)),
                       owner=draw(st.sampled_from(NAMES)), due=draw(days),
                       status=draw(st.sampled_from(["open", "in_progress", "closed"])))
        for i in range(draw(st.integers(0, 3)))
    )  # fmt: skip
    return Plan(Organization("Random"), units=tuple(units), people=people,
                objectives=tuple(objectives), actions=actions,
                countermeasures=answers)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(plans(), st.dates(date(2026, 1, 1), date(2027, 6, 30)), st.integers(0, 10),
       st.integers(0, 10))  # fmt: skip
def test_a_day_run_twice_tells_the_same_and_only_people_of_the_plan(
    plan: Plan, as_of: date, lead_days: int, escalation_days: int
) -> None:
    first = run(plan, as_of, lead_days=lead_days, escalation_days=escalation_days)
    again = run(plan, as_of, lead_days=lead_days, escalation_days=escalation_days)
    assert first == again
    keys = [n.key for n in first]
    assert keys == sorted(set(keys))  # one notice per key, in key order
    people = {p.id for p in plan.people}
    assert all(n.person in people for n in first)
    assert all(n.link.startswith("/orgs/clinic/") for n in first)
    assert (as_of.weekday() == 0) or all(n.event != "digest" for n in first)
