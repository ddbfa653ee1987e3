"""Hypothesis strategies for small valid plans: a vision, units, people, objectives at every
level supporting earlier ones, metrics with trajectories or bands and their actuals, actions
requiring earlier ones, countermeasures. Every plan drawn keeps the rules of
``domain.validation`` (``plans`` checks it), so reading it back must not refuse it.

Ids are unique across the whole plan (a situation item's among the situation's items: they
may repeat other ids), and every link (a parent, an owner, supports, serves,
moves, requires) names an entity drawn before it, so no link graph holds a cycle. Links of
supports, serves and moves each get a strength (strong, medium or weak). Objectives address
situation items; risks have a level and a trigger or not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import strategies as st

from hoshin.domain.model import (
    DEFAULT_TOLERANCE,
    LEVELS,
    RISK_LEVELS,
    SITUATION_KINDS,
    STRENGTHS,
    Action,
    Countermeasure,
    CountermeasureStatus,
    Direction,
    Frequency,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Risk,
    SituationItem,
    Strength,
    Unit,
    Vision,
    weaker,
)
from hoshin.domain.months import FIRST_YEAR, LAST_YEAR, LONGEST_ACTION_DAYS, Month
from hoshin.domain.validation import plan_problems

DIRECTIONS: tuple[Direction, ...] = ("increase", "decrease", "maintain")
FREQUENCIES: tuple[Frequency, ...] = ("monthly", "quarterly")
STATUSES: tuple[CountermeasureStatus, ...] = ("open", "in_progress", "closed")
FIRST_MONTH, LAST_MONTH = Month.of(FIRST_YEAR, 1), Month.of(LAST_YEAR, 12)

# Any character a one-line field takes (domain.text): no C0/C1 control, no surrogate (a file
# is UTF-8); U+2028 and U+2029 among them. Multi-line text also takes tab and line breaks.
_ONE_LINE = st.characters(blacklist_categories=("Cc", "Cs"))
_LINES = _ONE_LINE | st.sampled_from("\t\n\r")


# Text the writer must quote or escape, and does: words YAML reads as other values, YAML's
# own signs, a month, a year.
TRICKY = (
    "true",
    "No",
    "null",
    "~",
    "2026",
    "2026-06",
    "- x",
    "#x",
    "a: b",
    "'",
    '"',
    "\\",
    "[",
    "&a",
    "*a",
    "!x",
    "%",
    "@",
    "`",
    "|",
    ">",
    "?",
    "é ü 日本",
    "😀",
)


def _stripped(alphabet: st.SearchStrategy[str], longest: int) -> st.SearchStrategy[str]:
    """Text as a field keeps it: the doors strip surrounding whitespace."""
    drawn = st.text(alphabet, max_size=longest).map(str.strip)
    return drawn | st.sampled_from(TRICKY)


lines = _stripped(_ONE_LINE, 12)
texts = _stripped(_LINES, 24)
titles = lines.filter(bool)  # a title or a name is required
# An id is 1-64 of A-Z a-z 0-9 . _ - from a letter or a digit (domain.text); the YAML words
# are ids too, which the writer must quote.
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,7}", fullmatch=True) | st.sampled_from(
    ["true", "No", "null", "on", "y", "2026", "2026-06", "e3", "08", "1e3", "2026-01-05"]
)
months = st.integers(min_value=FIRST_MONTH, max_value=LAST_MONTH).map(Month)
days = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31))
# Any finite number for what is only stored (actuals, targets); a moderate one for what the
# rules compare (a course's baseline and target, a band).
numbers = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
above_zero = st.floats(min_value=0.001, max_value=1e6)
tolerances = st.sampled_from([DEFAULT_TOLERANCE, 0.0]) | st.floats(min_value=0, max_value=1)


def _some(draw: st.DrawFn, keys: list[str], most: int = 2) -> list[str]:
    """Up to ``most`` of ``keys``, in a drawn order."""
    if not keys:
        return []
    return draw(st.lists(st.sampled_from(keys), unique=True, max_size=most))


def _strengths(draw: st.DrawFn, keys: list[str]) -> dict[str, Strength]:
    """A strength for each of ``keys``, as the model keeps them: only those not strong."""
    return weaker({key: draw(st.sampled_from(STRENGTHS)) for key in keys})


def _maybe(draw: st.DrawFn, keys: list[str]) -> str | None:
    """One of ``keys``, or None."""
    return draw(st.none() | st.sampled_from(keys)) if keys else None


@st.composite
def _month_span(draw: st.DrawFn, *, longest: int) -> tuple[Month, Month]:
    """A first month and a later one, at most ``longest`` months after it."""
    first = draw(st.integers(min_value=FIRST_MONTH, max_value=LAST_MONTH - 1).map(Month))
    length = draw(st.integers(min_value=1, max_value=min(longest, LAST_MONTH - first)))
    return first, first + length


@st.composite
def metrics(draw: st.DrawFn, key: str, people: tuple[str, ...] = ()) -> Metric:
    """A valid metric: a linear or compound course to a target or at a rate, or a band;
    owned by one of ``people`` or by nobody (its objective's owner)."""
    direction = draw(st.sampled_from(DIRECTIONS))
    common = Metric(
        id=key,
        name=draw(titles),
        unit=draw(st.none() | lines),
        tolerance=draw(tolerances),
        weight=draw(st.just(1.0) | above_zero),
        frequency=draw(st.sampled_from(FREQUENCIES)),
        actuals=draw(st.dictionaries(months, numbers, max_size=4)),
        targets=draw(st.dictionaries(months, numbers, max_size=2)),
        owner=_maybe(draw, list(people)),
    )
    if direction == "maintain":
        low = draw(st.none() | moderate)
        high = draw(st.none() | moderate.filter(lambda v: low is None or v >= low))
        if low is None and high is None:
            low = draw(moderate)
        return replace(common, direction="maintain", minimum=low, maximum=high)
    start, end = draw(_month_span(longest=120))  # a rate compounds over at most ten years
    rising = direction == "increase"
    kind = draw(st.sampled_from(["linear", "compound", "rate"]))
    if kind == "rate":
        baseline = draw(above_zero)
        rate = draw(
            st.floats(min_value=0.01, max_value=2.0)
            if rising
            else st.floats(min_value=-0.9, max_value=-0.01)
        )
        return replace(
            common,
            direction=direction,
            baseline=baseline,
            baseline_period=start,
            rate_per_year=rate,
            target_period=end,
            trajectory="compound",
        )
    values = above_zero if kind == "compound" else moderate
    baseline = draw(values)
    target = draw(values.filter(lambda v: v > baseline if rising else v < baseline))
    return replace(
        common,
        direction=direction,
        baseline=baseline,
        baseline_period=start,
        target=target,
        target_period=end,
        trajectory="compound" if kind == "compound" else "linear",
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A small valid plan (at most 3 units and people, 4 objectives, 4 actions)."""
    n_units, n_people = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    n_objectives, n_actions = draw(st.integers(1, 4)), draw(st.integers(0, 4))
    n_metrics = [draw(st.integers(0, 2)) for _ in range(n_objectives)]
    n_measures = draw(st.integers(0, 2)) if sum(n_metrics) else 0
    total = n_units + n_people + n_objectives + sum(n_metrics) + n_actions + n_measures
    pool = iter(draw(st.lists(ids, min_size=total, max_size=total, unique=True)))
    situation = tuple(
        SituationItem(key, draw(st.sampled_from(SITUATION_KINDS)), draw(titles))
        for key in draw(st.lists(ids, max_size=3, unique=True))
    )

    units: list[Unit] = []
    for _ in range(n_units):
        units.append(Unit(next(pool), draw(titles), _maybe(draw, [u.id for u in units])))
    unit_ids = [u.id for u in units]
    people = tuple(
        Person(next(pool), draw(titles), _maybe(draw, unit_ids), draw(st.none() | lines))
        for _ in range(n_people)
    )
    person_ids = [p.id for p in people]
    units = [replace(u, lead=_maybe(draw, person_ids)) for u in units]

    objectives: list[Objective] = []
    for count in n_metrics:
        key = next(pool)
        start, end = draw(st.none() | months), draw(st.none() | months)
        if start is not None and end is not None and end < start:
            start, end = end, start
        parents = _some(draw, [o.id for o in objectives])
        weights = draw(st.just(1.0) | above_zero) if parents else 1.0
        supports = {p: weights if draw(st.booleans()) else 1.0 for p in parents}
        supports_strength = _strengths(draw, parents)
        objectives.append(
            Objective(
                id=key,
                title=draw(titles),
                level=draw(st.sampled_from(LEVELS)),
                owner=_maybe(draw, person_ids),
                unit=_maybe(draw, unit_ids),
                start=start,
                end=end,
                supports=supports,
                metrics=tuple(draw(metrics(next(pool), tuple(person_ids))) for _ in range(count)),
                customer_benefit=draw(st.none() | texts),
                tolerance=draw(tolerances),
                description=draw(st.none() | texts),
                supports_strength=supports_strength,
                addresses=tuple(_some(draw, [i.id for i in situation])),
            )
        )
    objective_ids = [o.id for o in objectives]
    metric_ids = [m.id for o in objectives for m in o.metrics]

    actions: list[Action] = []
    for _ in range(n_actions):
        start_day, due = draw(st.none() | days), draw(st.none() | days)
        if start_day is not None and due is not None and due < start_day:
            start_day, due = due, start_day
        serves, moves = _some(draw, objective_ids), _some(draw, metric_ids)
        actions.append(
            Action(
                id=next(pool),
                title=draw(titles),
                owner=_maybe(draw, person_ids),
                unit=_maybe(draw, unit_ids),
                serves=tuple(serves),
                moves=tuple(moves),
                serves_strength=_strengths(draw, serves),
                moves_strength=_strengths(draw, moves),
                start=start_day,
                due=due,
                duration_days=draw(st.none() | st.integers(1, LONGEST_ACTION_DAYS)),
                requires=tuple(_some(draw, [a.id for a in actions])),
                done=draw(st.booleans()),
                progress=draw(st.just(0.0) | st.floats(min_value=0, max_value=100)),
                budget=draw(st.none() | st.floats(min_value=0, max_value=1e9)),
                fte=draw(st.none() | st.floats(min_value=0, max_value=1e3)),
                risks=tuple(
                    Risk(
                        draw(texts),
                        draw(st.none() | texts),
                        draw(st.none() | texts),
                        draw(st.none() | st.sampled_from(RISK_LEVELS)),
                    )
                    for _ in range(draw(st.integers(0, 2)))
                ),
            )
        )
    measures = tuple(
        Countermeasure(
            id=next(pool),
            metric=draw(st.sampled_from(metric_ids)),
            period=draw(months),
            cause=draw(st.none() | texts),
            action=draw(st.none() | texts),
            owner=_maybe(draw, person_ids),
            due=draw(st.none() | days),
            status=draw(st.sampled_from(STATUSES)),
            effect=draw(st.none() | texts),
        )
        for _ in range(n_measures)
    )
    plan = Plan(
        organization=Organization(draw(lines), draw(st.integers(1, 12))),
        vision=Vision(
            draw(texts),
            draw(texts),
            draw(st.none() | st.integers(FIRST_YEAR, LAST_YEAR)),
            tuple(draw(st.lists(lines, max_size=3))),
        ),
        units=tuple(units),
        people=people,
        objectives=tuple(objectives),
        actions=tuple(actions),
        countermeasures=measures,
        situation=situation,
    )
    assert plan_problems(plan) == [], plan_problems(plan)  # the strategy's own promise
    return plan
