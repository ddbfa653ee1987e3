"""A draft objective from one sentence: the forms people write, each year's target from the
engine's trajectory, and refusals that say what is missing. Figures are worked by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.domain.assist.draft import Draft, draft_objective
from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.domain.validation import metric_problems
from hoshin.errors import InvalidInput

DECEMBER = date(2026, 12, 15)  # as of 2026-12: whole years to each year's end
JUNE = date(2026, 6, 15)


def metric_of(draft: Draft) -> Metric:
    [metric] = draft.objective.metrics
    return metric


def test_halving_each_year_from_24_until_dec_2029() -> None:
    draft = draft_objective(
        "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029", as_of=DECEMBER
    )
    metric = metric_of(draft)
    assert draft.objective.title == (
        "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029"
    )
    assert metric.name == "Warranty claims per 1,000 pumps"
    assert (metric.direction, metric.trajectory) == ("decrease", "compound")
    assert (metric.baseline, metric.baseline_period) == (24, Month.of(2026, 12))
    assert (metric.rate_per_year, metric.target, metric.target_period) == (
        -0.5,
        None,
        Month.of(2029, 12),
    )
    # 24 halved each year from 2026-12: 12 at the end of 2027, 6 of 2028, 3 of 2029
    assert draft.yearly == ((2027, 12.0), (2028, 6.0), (2029, 3.0))
    assert draft.this_year == 24.0  # the end of 2026 is the baseline's month
    # 2026-12 to 2029-12 is 36 months: three years or more is a breakthrough
    assert draft.objective.level == "breakthrough"
    assert (draft.objective.start, draft.objective.end) == (Month.of(2026, 12), Month.of(2029, 12))
    assert "by 50 % a year to 3 by 2029-12, compound" in draft.read_as


def test_halving_from_mid_year_reaches_each_year_end_by_part_of_a_year() -> None:
    draft = draft_objective(
        "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029", as_of=JUNE
    )
    # from 2026-06: 24 * 0.5^(6/12) = 16.971 at the end of 2026, 24 * 0.5^1.5 = 8.485,
    # 24 * 0.5^2.5 = 4.243, and 24 * 0.5^3.5 = 2.121 at the end of 2029
    assert [(year, round(value, 3)) for year, value in draft.yearly] == [
        (2026, 16.971),
        (2027, 8.485),
        (2028, 4.243),
        (2029, 2.121),
    ]
    assert draft.this_year == pytest.approx(16.971, abs=1e-3)


def test_a_rate_and_a_target_keep_the_target_and_say_whether_the_rate_reaches_it() -> None:
    draft = draft_objective(
        "grow service revenue 20 % a year from EUR 18M to EUR 45M by 2029", as_of=DECEMBER
    )
    metric = metric_of(draft)
    assert (metric.name, metric.unit, metric.direction) == ("Service revenue", "EUR", "increase")
    assert (metric.baseline, metric.target, metric.rate_per_year) == (18_000_000, 45_000_000, None)
    assert metric.trajectory == "compound"
    # 18M * 1.2^3 = 18M * 1.728 = 31,104,000 by 2029-12: short of 45M, which needs
    # (45/18)^(1/3) - 1 = 2.5^(1/3) - 1 = 35.7 % a year
    assert "+20 % a year would reach 31,104,000 EUR by 2029-12, short of the target" in (
        draft.read_as
    )
    assert "the target needs +35.7 % a year" in draft.read_as
    # compound from 18M to 45M over 3 years: 18M * 2.5^(1/3) = 24.43M, 18M * 2.5^(2/3) = 33.16M
    assert [(year, round(value / 1e6, 2)) for year, value in draft.yearly] == [
        (2027, 24.43),
        (2028, 33.16),
        (2029, 45.0),
    ]


def test_a_rate_that_reaches_the_target_says_so() -> None:
    # 100 * 1.5^2 = 225 by 2028-12, past 200
    draft = draft_objective("grow exports 50 % a year from 100 to 200 by 2028", as_of=DECEMBER)
    assert "would reach 225 by 2028-12, reaching the target" in draft.read_as


def test_zero_lost_time_injuries_by_2028_needs_a_baseline_written_in() -> None:
    draft = draft_objective("zero lost-time injuries by 2028", as_of=JUNE)
    metric = metric_of(draft)
    assert draft.objective.title == "Zero lost-time injuries by 2028"
    assert (metric.name, metric.direction, metric.trajectory) == (
        "Lost-time injuries",
        "decrease",
        "linear",
    )
    assert (metric.target, metric.target_period, metric.baseline) == (0, Month.of(2028, 12), None)
    assert (draft.yearly, draft.this_year) == ((), None)
    assert "no baseline in the sentence: write where it stands in 2026-06" in draft.read_as
    assert draft.objective.level == "annual"  # 2026-06 to 2028-12: 30 months


def test_cut_lead_time_from_9_to_4_weeks_by_q4_2027() -> None:
    draft = draft_objective("cut lead time from 9 to 4 weeks by Q4 2027", as_of=JUNE)
    metric = metric_of(draft)
    assert (metric.name, metric.unit, metric.direction, metric.trajectory) == (
        "Lead time",
        "weeks",
        "decrease",
        "linear",
    )
    assert (metric.baseline, metric.target) == (9, 4)
    assert (metric.baseline_period, metric.target_period) == (Month.of(2026, 6), Month.of(2027, 12))
    # 18 months from 9 to 4: by the end of 2026 (6 months) 9 - 5 * 6/18 = 7.333
    assert [(year, round(value, 3)) for year, value in draft.yearly] == [(2026, 7.333), (2027, 4)]
    assert draft.read_as.startswith(
        "decrease 'Lead time' from 9 weeks in 2026-06 to 4 weeks by 2027-12, linear"
    )


def test_keep_first_pass_yield_above_96_percent_is_a_band() -> None:
    draft = draft_objective("keep first-pass yield above 96 %", as_of=JUNE)
    metric = metric_of(draft)
    assert (metric.name, metric.unit, metric.direction) == ("First-pass yield", "%", "maintain")
    assert (metric.minimum, metric.maximum, metric.baseline) == (96, None, None)
    assert (draft.objective.level, draft.objective.end) == ("annual", None)
    assert draft.read_as == "maintain 'First-pass yield' at 96 % or above"
    assert metric_problems((), metric) == []


# sentence, as of 2026-12-15 -> name, unit, direction, baseline, target, rate, target
# period, trajectory (min and max for a band)
FORMS: list[tuple[str, dict[str, Any]]] = [
    # no baseline: 30 % less in one year is 0.7^(1/1) - 1 = -0.3 a year
    ("Reduce customer complaints by 30 % by 2027",
     {"name": "Customer complaints", "direction": "decrease", "baseline": None,
      "rate_per_year": -0.3, "target_period": "2027-12", "trajectory": "compound"}),
    # from 200: 30 % less is 140
    ("Reduce scrap from 200 by 30 % by 2028",
     {"name": "Scrap", "baseline": 200, "target": 140, "trajectory": "linear"}),
    ("Increase on-time delivery from 82 % to 95 % by June 2028",
     {"name": "On-time delivery", "unit": "%", "direction": "increase", "baseline": 82,
      "target": 95, "target_period": "2028-06", "trajectory": "linear"}),
    # doubling in 4 years (2026-12 to 2030-12): 2^(1/4) - 1 = 0.189207 a year
    ("Double online sales by 2030",
     {"name": "Online sales", "direction": "increase", "rate_per_year": 0.189207,
      "target_period": "2030-12", "trajectory": "compound"}),
    # tripling from 2M: 6M; without "each year" a target, linear (the plan file's default)
    ("Triple exports from EUR 2M by 2029",
     {"name": "Exports", "unit": "EUR", "baseline": 2_000_000, "target": 6_000_000,
      "trajectory": "linear"}),
    # "to 2,000 patients": a word after the target that no unit list holds is the unit
    ("Reduce the waiting list from 21,400 to 2,000 patients by March 2029",
     {"name": "Waiting list", "unit": "patients", "baseline": 21_400, "target": 2000}),
    ("Hold energy use under 2,500 MWh a month",
     {"name": "Energy use per month", "unit": "MWh", "direction": "maintain",
      "maximum": 2500}),
    ("Patient falls below 10 per month",
     {"name": "Patient falls per month", "direction": "maintain", "maximum": 10}),
    ("Keep complaints under 5 per month",
     {"name": "Complaints per month", "direction": "maintain", "maximum": 5}),
    ("at least 40 customer visits per month",
     {"name": "Customer visits per month", "direction": "maintain", "minimum": 40}),
    ("Keep on-time delivery between 95 % and 99 %",
     {"name": "On-time delivery", "unit": "%", "minimum": 95, "maximum": 99}),
    ("Keep OEE between 85% and 75%", {"name": "OEE", "minimum": 75, "maximum": 85}),
    ("Keep OEE above 80 % until 2028", {"name": "OEE", "direction": "maintain", "minimum": 80}),
    # a bound with a date is where the measure should be by then
    ("Bring complaints below 5 per month by 2027",
     {"name": "Complaints per month", "direction": "decrease", "target": 5,
      "target_period": "2027-12"}),
    # 2026-12 plus 3 years
    ("bring days sales outstanding from 60 to 45 days within 3 years",
     {"name": "Days sales outstanding", "unit": "days", "direction": "decrease",
      "baseline": 60, "target": 45, "target_period": "2029-12"}),
    ("Cut energy use from 1.2k MWh to 900 MWh by FY2028",
     {"name": "Energy use", "unit": "MWh", "baseline": 1200, "target": 900,
      "target_period": "2028-12"}),
    ("Raise net promoter score from 30 to 50 by the end of 2027",
     {"name": "Net promoter score", "baseline": 30, "target": 50, "target_period": "2027-12"}),
    ("Lower scrap from 8 % to 5 % by H1 2027",
     {"name": "Scrap", "unit": "%", "target": 5, "target_period": "2027-06"}),
    ("Lower scrap from 8 % to 5 % by end of 2027", {"target_period": "2027-12"}),
    ("Win 20% more new customers each year until 2029",
     {"name": "New customers", "direction": "increase", "rate_per_year": 0.2,
      "target_period": "2029-12", "trajectory": "compound"}),
    ("Half as many defects each year until 2029",
     {"name": "Defects", "direction": "decrease", "rate_per_year": -0.5}),
    ("Grow ARR from $4.5m to $9m by 2028",
     {"name": "ARR", "unit": "USD", "baseline": 4_500_000, "target": 9_000_000}),
    ("Cut warranty claims from 1,250 to 900 by 2028", {"baseline": 1250, "target": 900}),
    ("Reach 95 % on-time delivery by 2027",
     {"name": "On-time delivery", "unit": "%", "direction": "increase", "baseline": None,
      "target": 95}),
    # 14 EUR less 2 EUR
    ("Cut cost per unit by EUR 2 from EUR 14 by 2027",
     {"name": "Cost per unit", "unit": "EUR", "baseline": 14, "target": 12}),
    ("We want to cut lead time from 9 to 4 weeks by Dec 2027.",
     {"title": "Cut lead time from 9 to 4 weeks by Dec 2027", "name": "Lead time"}),
    ("Eliminate lost-time injuries by 2028",
     {"name": "Lost-time injuries", "direction": "decrease", "target": 0}),
    ("Reduce patients waiting over 4 hours from 12 % to 5 % by 2027",
     {"name": "Patients waiting over 4 hours", "unit": "%", "baseline": 12, "target": 5}),
    ("Cut scrap 30 % by 2027", {"name": "Scrap", "rate_per_year": -0.3}),
    ("Grow online sales from 2 to 3 by 31 December 2028", {"target_period": "2028-12"}),
    ("Grow online sales from 2 to 3 by 2028-06", {"target_period": "2028-06"}),
    ("Grow online sales from 2 to 3 by mid-2028", {"target_period": "2028-06"}),
    ("Grow online sales from 2 to 3 before 2029", {"target_period": "2028-12"}),
    ("Grow online sales from 2 to 3 within 18 months", {"target_period": "2028-06"}),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), FORMS, ids=[s for s, _ in FORMS])
def test_the_forms_people_write(sentence: str, expected: dict[str, Any]) -> None:
    draft = draft_objective(sentence, as_of=DECEMBER)
    metric = metric_of(draft)
    for field, value in expected.items():
        if field == "title":
            assert draft.objective.title == value
        elif field.endswith("_period"):
            assert str(getattr(metric, field)) == value, field
        else:
            assert getattr(metric, field) == value, field
    if metric.baseline is not None or metric.direction == "maintain":
        assert metric_problems((), metric) == []  # pastes into a plan as a valid metric


def test_a_fiscal_year_ends_where_the_organisation_s_year_ends() -> None:
    # fiscal years from April are named by the year they start in: FY2028 is 2028-04..2029-03
    draft = draft_objective(
        "Cut energy use from 1,200 to 900 MWh by FY2028", as_of=DECEMBER, fiscal_year_start=4
    )
    assert metric_of(draft).target_period == Month.of(2029, 3)
    # 2026-12 to 2029-03 is 27 months, 300 MWh less: 11.111 a month; each fiscal year ends
    # in March: FY2026 at 2027-03 (3 months: 1,166.67), FY2027 at 2028-03 (15: 1,033.33)
    assert [(year, round(value, 2)) for year, value in draft.yearly] == [
        (2026, 1166.67),
        (2027, 1033.33),
        (2028, 900.0),
    ]
    assert draft.this_year == pytest.approx(1166.67, abs=0.01)  # FY2026 ends 2027-03


def test_by_the_end_of_the_year_is_the_end_of_as_of_s_year() -> None:
    draft = draft_objective("Lower scrap from 8 % to 5 % by the end of the year", as_of=JUNE)
    assert metric_of(draft).target_period == Month.of(2026, 12)
    assert draft.yearly == ((2026, 5.0),)


@pytest.mark.parametrize(
    ("until", "level"),
    [("2029-11", "annual"), ("2029-12", "breakthrough")],  # 35 and 36 months from 2026-12
)
def test_the_level_is_guessed_from_the_horizon(until: str, level: str) -> None:
    draft = draft_objective(f"Cut lead time from 9 to 4 weeks by {until}", as_of=DECEMBER)
    assert draft.objective.level == level


def test_a_band_kept_until_a_date_ends_then() -> None:
    draft = draft_objective("Keep OEE above 80 % until 2028", as_of=DECEMBER)
    assert (draft.objective.end, draft.objective.level) == (Month.of(2028, 12), "annual")


def test_a_given_level_and_ids_are_kept() -> None:
    draft = draft_objective(
        "Cut lead time from 9 to 4 weeks by 2029",
        as_of=DECEMBER,
        level="team",
        objective_id="T7",
        metric_id="lead-time",
    )
    assert (draft.objective.level, draft.objective.id, metric_of(draft).id) == (
        "team",
        "T7",
        "lead-time",
    )
    assert "months away" not in draft.read_as  # not guessed: nothing to say about it


REFUSED = [
    ("", "empty sentence"),
    ("   ", "empty sentence"),
    ("Cut lead\x07 time from 9 to 4 weeks by 2027", "control character U+0007"),
    ("Improve quality by 2027", "no number to aim at: say where you are and where you want"),
    ("From 9 to 4 by 2027", "no measure named"),
    ("Cut lead time from 9 to 4 weeks", "no date: say by when"),
    ("Cut lead time from 9 to 4 weeks by 2025", "'by 2025' (2025-12) is not after 2026-12"),
    ("Cut lead time from 9 to 4 weeks by Dec 2026", "is not after 2026-12"),
    ("Increase lead time from 9 to 4 weeks by 2027", "'increase' but 4 is below 9"),
    ("Cut lead time from 9 to 9 weeks by 2027", "the target equals where it stands (9)"),
    ("Halve defects from 0 each year until 2029", "compound trajectory needs a baseline"),
    ("Cut cost per unit by EUR 2 by 2027", "needs where it stands"),
    ("Change scrap by 30 % by 2027", "up or down?"),
    ("Keep OEE above 85 % and below 75 %", "min 85.0 is above max 75.0"),
    ("Cut scrap from 9 to 4 % by Q4 2027 and rework from 5 to 2 % by 2028", "more than one goal"),
    ("1,2,3,4,5", "no measure named"),
    ("Reduce scrap by 100 % by 2028", "a cut of 100 % leaves nothing"),
    ("Keep OEE above 80 % until 2025", "'until 2025' (2025-12) is not after 2026-12"),
]


@pytest.mark.parametrize(("sentence", "message"), REFUSED, ids=[m for _, m in REFUSED])
def test_what_cannot_be_read_is_refused_saying_what_is_missing(sentence: str, message: str) -> None:
    with pytest.raises(InvalidInput, match="cannot read") as refused:
        draft_objective(sentence, as_of=DECEMBER)
    assert message in refused.value.message


def test_a_sentence_longer_than_a_title_is_refused() -> None:
    sentence = "Cut lead time from 9 to 4 weeks by 2027 " + "x" * 262  # 302 characters
    with pytest.raises(InvalidInput, match="302 characters long, and a title is at most 300"):
        draft_objective(sentence, as_of=DECEMBER)


@given(
    baseline=st.integers(1, 10_000),
    target=st.integers(0, 10_000),
    year=st.integers(2027, 2040),
)
def test_from_a_to_b_by_a_year_moves_by_the_numbers_to_b(
    baseline: int, target: int, year: int
) -> None:
    sentence = f"Bring unplanned downtime from {baseline:,} to {target:,} hours by {year}"
    if baseline == target:
        with pytest.raises(InvalidInput):
            draft_objective(sentence, as_of=DECEMBER)
        return
    draft = draft_objective(sentence, as_of=DECEMBER)
    metric = metric_of(draft)
    assert (metric.baseline, metric.target, metric.unit) == (baseline, target, "hours")
    assert metric.direction == ("increase" if target > baseline else "decrease")
    assert metric.target_period == Month.of(year, 12)
    # one entry per year end from 2027 to the target's year, the last one the target
    assert [y for y, _ in draft.yearly] == list(range(2027, year + 1))
    assert draft.yearly[-1][1] == target


@given(st.text(max_size=120))
def test_any_text_is_a_draft_or_a_refusal(sentence: str) -> None:
    try:
        draft = draft_objective(sentence, as_of=DECEMBER)
    except InvalidInput as refused:
        assert refused.message.startswith("cannot read")
    else:
        assert draft.objective.metrics[0].name


# the words and numbers goal sentences are made of, to be put together in any order
PARAGRAPH = (
    "from to by until above below at least between and 1 0 2,000 1.2k EUR 18M $4.5m 96 % "
    "a year each year more less half as many times twice Q4 2027 FY2028 H1 within 3 years "
    "per month weeks zero halve double cut grow keep end of the mid- 2029 Dec , . 5 or "
    "eliminate reach 150 0.5 lead time scrap revenue"
)
WORDS = PARAGRAPH.split(" ")


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join))
def test_goal_words_in_any_order_are_a_valid_metric_or_a_refusal(sentence: str) -> None:
    try:
        draft = draft_objective(sentence, as_of=JUNE)
    except InvalidInput as refused:
        assert refused.message.startswith("cannot read")
        return
    metric = metric_of(draft)
    if metric.baseline is not None or metric.direction == "maintain":
        assert metric_problems((), metric) == []
