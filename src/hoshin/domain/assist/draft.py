"""A draft objective from one sentence: backward goal-setting from where a measure should be
by when ("Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029").

The sentence is read by domain.assist.sentence; here its parts become an objective with one
metric (direction, baseline and its period, target or yearly rate, target period,
trajectory), checked by the plan's own rules (domain.validation), and each year's target
comes from the engine's trajectory (domain.trajectory), never a second copy of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from hoshin.domain.annual import fiscal_year_of
from hoshin.domain.assist.sentence import Reading, another_goal, cleaned, read
from hoshin.domain.figures import number
from hoshin.domain.model import Direction, Level, Metric, Objective
from hoshin.domain.months import Month
from hoshin.domain.text import LONGEST, control_character
from hoshin.domain.trajectory import course, end_value
from hoshin.domain.validation import metric_problems
from hoshin.errors import InvalidInput

BREAKTHROUGH_MONTHS = 36  # a goal three years out or more is a breakthrough objective
EXAMPLE = "e.g. 'cut lead time from 9 to 4 weeks by Q4 2027'"
NOTHING_TO_AIM_AT = (
    "no number to aim at: say where you are and where you want to be, "
    "e.g. 'from 9 to 4 weeks by 2027'"
)


@dataclass(frozen=True, slots=True)
class Draft:
    """An objective drafted from a sentence, its targets at each year's end, and how the
    sentence was read (one line)."""

    objective: Objective
    yearly: tuple[tuple[int, float], ...]  # (year, target at the end of that year)
    this_year: float | None  # the target at the end of as_of's year
    read_as: str


def draft_objective(
    sentence: str,
    *,
    as_of: date,
    level: Level | None = None,
    objective_id: str = "O1",
    metric_id: str = "M1",
    fiscal_year_start: int = 1,
) -> Draft:
    """The objective ``sentence`` asks for, as of ``as_of``; InvalidInput saying what is
    missing when it cannot be read. Years are fiscal years (named by the calendar year
    they start in) when ``fiscal_year_start`` is not January."""
    title = _title(sentence)
    reading = read(title, as_of=as_of, fiscal_year_start=fiscal_year_start)
    if not any(char.isalpha() for char in reading.name):
        raise _unread(title, "no measure named: say what is measured, " + EXAMPLE)
    if another_goal(reading.name, as_of=as_of):
        raise _unread(title, "more than one goal: draft one sentence for each")
    now = Month.of_date(as_of)
    metric, notes = _metric(reading, title, now, metric_id)
    end = None if reading.deadline is None else reading.deadline.month
    horizon = None if end is None else end - now
    guessed = level or ("breakthrough" if (horizon or 0) >= BREAKTHROUGH_MONTHS else "annual")
    objective = Objective(objective_id, title, guessed, start=now, end=end, metrics=(metric,))
    if level is None and horizon is not None:
        size = "3 years or more" if guessed == "breakthrough" else "under 3 years"
        notes.append(f"{guessed}: the date is {horizon} months away ({size})")
    yearly, this_year = _years(metric, as_of, fiscal_year_start)
    return Draft(objective, yearly, this_year, "; ".join([_course_text(metric), *notes]))


def _title(sentence: str) -> str:
    """The sentence as a title, or InvalidInput: empty, too long, control characters."""
    bad = control_character(sentence)
    if bad is not None:
        raise InvalidInput(f"cannot read the sentence: it contains the control character {bad}")
    title = cleaned(sentence)
    if not title:
        raise InvalidInput(f"cannot read an empty sentence: write the goal, {EXAMPLE}")
    if len(title) > LONGEST["line"]:
        raise InvalidInput(
            f"cannot read the sentence: it is {len(title):,} characters long, and a title "
            f"is at most {LONGEST['line']}: say the goal in one short sentence, {EXAMPLE}"
        )
    return title


def _unread(title: str, why: str) -> InvalidInput:
    return InvalidInput(f"cannot read '{title}': {why}", {"sentence": title})


def _metric(reading: Reading, title: str, now: Month, metric_id: str) -> tuple[Metric, list[str]]:
    """The metric the reading asks for, and notes on how it was read."""
    unit = _unit(reading)
    base = Metric(metric_id, reading.name, unit=unit)
    moving = reading.start or reading.end or reading.change or reading.factor
    start = reading.since.month if reading.since is not None else now
    if reading.deadline is not None and reading.deadline.month <= max(now, start):
        raise _unread(
            title,
            f"the date '{reading.deadline.text}' ({reading.deadline.month}) is not after "
            f"{max(now, start)}: aim at a later date",
        )
    held = reading.sense == "maintain" or reading.deadline is None
    if (reading.floor or reading.ceiling) and not moving and held:
        band = _band(base, reading)
        if problems := metric_problems((), band):
            raise _unread(title, problems[0].message)
        return band, []
    if not (moving or reading.floor or reading.ceiling):
        raise _unread(title, NOTHING_TO_AIM_AT)
    if reading.deadline is None:
        raise _unread(title, "no date: say by when, e.g. '... by Dec 2027' or 'within 3 years'")
    return _course(replace(base, baseline_period=start, target_period=reading.deadline.month),
                   reading, title)  # fmt: skip


def _unit(reading: Reading) -> str | None:
    """The unit of measure of the levels named (not of a change: "by 30 %" is no unit)."""
    levels = (reading.end, reading.start, reading.floor, reading.ceiling)
    return next((a.unit for a in levels if a is not None and a.unit is not None), None)


def _band(metric: Metric, reading: Reading) -> Metric:
    """A ``maintain`` metric held above a floor, below a ceiling, or between."""
    return replace(
        metric,
        direction="maintain",
        minimum=None if reading.floor is None else reading.floor.value,
        maximum=None if reading.ceiling is None else reading.ceiling.value,
    )


def _course(metric: Metric, reading: Reading, title: str) -> tuple[Metric, list[str]]:
    """An ``increase``/``decrease`` metric from the baseline to a target or at a rate."""
    notes: list[str] = []
    baseline = None if reading.start is None else reading.start.value
    target = _target(reading)
    years = (metric.target_period - metric.baseline_period) / 12  # type: ignore[operator]
    rate = _rate(reading, title, baseline, years)
    if target is None and rate is None:
        if reading.change is not None and not reading.change.percent:
            raise _unread(title, f"'by {reading.change.text}' needs where it stands: "
                                 f"say 'from ...', e.g. 'from 14 to 12 EUR by 2027'")  # fmt: skip
        raise _unread(title, NOTHING_TO_AIM_AT)
    # a yearly rate compounds; a target, even one a factor gives ("double"), is linear, the
    # plan file's default, unless a rate was given with it
    compound = rate is not None
    if rate is not None and not reading.yearly and target is None:
        notes.append(f"{_total(reading)} by {metric.target_period} is {_percent(rate)} a year")
    if target is not None and rate is not None:
        notes.append(_rate_and_target(metric, baseline, target, rate))
        rate = None
    direction = _direction(reading, title, baseline, target, rate)
    drafted = replace(
        metric,
        direction=direction,
        baseline=baseline,
        target=target,
        rate_per_year=rate,
        trajectory="compound" if compound else "linear",
    )
    if baseline is None:
        notes.append(f"no baseline in the sentence: write where it stands in "
                     f"{metric.baseline_period}")  # fmt: skip
    else:
        problems = metric_problems((), drafted)
        if problems:
            raise _unread(title, problems[0].message)
    return drafted, notes


def _target(reading: Reading) -> float | None:
    """Where the measure should be: "to ...", "zero", a bound reached by the date, or the
    baseline moved by a total change or factor."""
    if reading.end is not None:
        return reading.end.value
    bound = reading.floor or reading.ceiling
    if bound is not None:
        return bound.value
    if reading.start is None or reading.yearly:
        return None
    if reading.factor is not None:
        return reading.start.value * reading.factor
    if reading.change is not None:
        change = (
            reading.change.value / 100 * reading.start.value
            if reading.change.percent
            else (reading.change.value)
        )
        return reading.start.value + (-change if reading.sense == "decrease" else change)
    return None


def _rate(reading: Reading, title: str, baseline: float | None, years: float) -> float | None:
    """The yearly rate asked for ("20 % a year", "halve each year"), or the rate that makes
    a total change or factor by the date when there is no baseline to apply it to."""
    if reading.factor is not None and reading.factor <= 0:
        raise _unread(title, "a factor must be above 0: say the target, e.g. 'to zero'")
    if reading.factor is not None:
        if reading.yearly:
            return reading.factor - 1
        return None if baseline is not None else _rounded(reading.factor ** (1 / years) - 1)
    change = reading.change
    if change is None or not change.percent:
        return None
    if reading.sense not in ("increase", "decrease"):
        raise _unread(title, f"'{change.text}' up or down? say 'increase' or 'reduce'")
    signed = change.value / 100 * (-1 if reading.sense == "decrease" else 1)
    if signed <= -1:
        raise _unread(
            title, f"a cut of {change.text} leaves nothing: say the target, e.g. 'to zero'"
        )
    if reading.yearly:
        return signed
    return None if baseline is not None else _rounded((1 + signed) ** (1 / years) - 1)


def _rounded(rate: float) -> float:
    """A derived rate to six decimals (0.01 % is past any plan's precision): the plan file
    shows -0.3, not -0.30000000000000004."""
    return round(float(rate), 6)


def _total(reading: Reading) -> str:
    """The total change a sentence asks for, in words: "a change of -30 %", "a factor of 2"."""
    if reading.factor is not None:
        return f"a factor of {number(reading.factor)}"
    change = reading.change.value if reading.change is not None else 0.0
    return f"a change of {'-' if reading.sense == 'decrease' else '+'}{number(change)} %"


def _rate_and_target(metric: Metric, baseline: float | None, target: float, rate: float) -> str:
    """What a sentence that gives both a yearly rate and a target says: whether the rate
    reaches the target by the date; the metric keeps the target (the end state)."""
    if baseline is None:
        return f"both a rate ({_percent(rate)} a year) and a target: the metric keeps the target"
    at_rate = end_value(replace(metric, baseline=baseline, rate_per_year=rate))
    years = (metric.target_period - metric.baseline_period) / 12  # type: ignore[operator]
    needed = (target / baseline) ** (1 / years) - 1 if baseline > 0 and target > 0 else None
    reaches = at_rate is not None and (
        at_rate >= target if target > baseline else at_rate <= target
    )
    verdict = "reaching the target" if reaches else "short of the target"
    need = "" if needed is None else f" (the target needs {_percent(needed)} a year)"
    unit = _with_unit(at_rate, metric.unit)
    return (
        f"{_percent(rate)} a year would reach {unit} by {metric.target_period}, {verdict}"
        f"{need}: the metric keeps the target"
    )


def _direction(
    reading: Reading, title: str, baseline: float | None, target: float | None, rate: float | None
) -> Direction:
    """Which way the measure should move: the numbers say, and the words must agree."""
    if baseline is not None and target is not None:
        if target == baseline:
            raise _unread(title, f"the target equals where it stands ({number(target)})")
        found: Direction = "increase" if target > baseline else "decrease"
        if reading.sense in ("increase", "decrease") and reading.sense != found:
            raise _unread(
                title,
                f"'{reading.verb or reading.sense}' but {number(target)} is "
                f"{'above' if target > baseline else 'below'} {number(baseline)}",
            )
        return found
    if rate is not None:
        return "increase" if rate > 0 else "decrease"
    if reading.sense in ("increase", "decrease"):
        return reading.sense
    if reading.ceiling is not None or target == 0:
        return "decrease"
    return "increase"


def _years(metric: Metric, as_of: date, fiscal_start: int) -> tuple[
    tuple[tuple[int, float], ...], float | None
]:  # fmt: skip
    """The target at the end of each year from the baseline to the target period, and at
    the end of as_of's year (none without a baseline, or for a band)."""
    path = None if metric.baseline is None else course(metric)
    if path is None or metric.baseline_period is None or metric.target_period is None:
        return (), None
    year = fiscal_year_of(metric.baseline_period.first_day(), fiscal_start)
    yearly = []
    while year.first <= metric.target_period:
        if year.last > metric.baseline_period:
            yearly.append((year.year, path.planned(year.last)))
        year = year.next()
    this_year = path.planned(fiscal_year_of(as_of, fiscal_start).last)
    return tuple(yearly), this_year


def _course_text(metric: Metric) -> str:
    """How the metric reads in one line: "decrease Lead time from 9 weeks in 2026-06 to 4
    weeks by 2027-12, linear"."""
    name = f"'{metric.name}'"
    if metric.direction == "maintain":
        low, high = metric.minimum, metric.maximum
        if low is not None and high is not None:
            band = f"between {_with_unit(low, metric.unit)} and {_with_unit(high, metric.unit)}"
        elif low is not None:
            band = f"at {_with_unit(low, metric.unit)} or above"
        else:
            band = f"at {_with_unit(high, metric.unit)} or below"
        return f"maintain {name} {band}"
    baseline = (
        "today's value" if metric.baseline is None else _with_unit(metric.baseline, metric.unit)
    )
    text = f"{metric.direction} {name} from {baseline} in {metric.baseline_period}"
    if metric.rate_per_year is not None:
        text += f" by {_percent(metric.rate_per_year, signed=False)} a year"
        reached = end_value(metric)
        if reached is not None:
            text += f" to {_with_unit(reached, metric.unit)}"
        return f"{text} by {metric.target_period}, compound"
    return f"{text} to {_with_unit(metric.target, metric.unit)} by {metric.target_period}, " + (
        metric.trajectory
    )


def _with_unit(value: float | None, unit: str | None) -> str:
    if unit is None:
        return number(value)
    return f"{number(value)} %" if unit == "%" else f"{number(value)} {unit}"


def _percent(rate: float, *, signed: bool = True) -> str:
    shown = rate if signed else abs(rate)
    return f"{shown * 100:+.3g} %" if signed else f"{shown * 100:.3g} %"
