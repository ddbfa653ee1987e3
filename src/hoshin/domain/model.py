"""The plan as plain values: vision, units, people, objectives, metrics, actions and more."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from hoshin.domain.months import Month

Level = Literal["breakthrough", "annual", "team", "individual"]
Direction = Literal["increase", "decrease", "maintain"]
Trajectory = Literal["linear", "compound"]
Frequency = Literal["monthly", "quarterly"]
# How strongly a link (supports, serves, moves) correlates: the X-matrix's ● ○ △.
Strength = Literal["strong", "medium", "weak"]
STRENGTHS: tuple[Strength, ...] = ("strong", "medium", "weak")
CountermeasureStatus = Literal["open", "in_progress", "closed"]
COUNTERMEASURE_STATUSES: tuple[CountermeasureStatus, ...] = ("open", "in_progress", "closed")
# The organisation's current position (the SWOT of tactical planning).
SituationKind = Literal["strength", "weakness", "opportunity", "threat"]
SITUATION_KINDS: tuple[SituationKind, ...] = ("strength", "weakness", "opportunity", "threat")
RiskLevel = Literal["low", "medium", "high"]
RISK_LEVELS: tuple[RiskLevel, ...] = ("low", "medium", "high")

LEVELS: tuple[Level, ...] = ("breakthrough", "annual", "team", "individual")
DEFAULT_TOLERANCE = 0.10


@dataclass(frozen=True, slots=True)
class Organization:
    """Who the plan belongs to; ``fiscal_year_start`` is the month number a fiscal year opens."""

    name: str
    fiscal_year_start: int = 1


@dataclass(frozen=True, slots=True)
class Vision:
    """Where the organisation is going (statement), why (purpose), by when (horizon year)."""

    statement: str = ""
    purpose: str = ""
    horizon: int | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unit:
    """A part of the organisation; ``parent`` is another unit's id, ``lead`` the person who
    leads it (told of its escalations; a unit without one escalates to its parent's lead)."""

    id: str
    name: str
    parent: str | None = None
    lead: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who owns objectives, metrics' numbers or actions."""

    id: str
    name: str
    unit: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Metric:
    """A measure of an objective with its trajectory from baseline to target and its actuals.

    ``target`` or ``rate_per_year`` gives the end value; ``minimum``/``maximum``
    are the band of a ``maintain`` metric. ``actuals`` and ``targets`` are keyed by month.
    """

    id: str
    name: str
    direction: Direction = "increase"
    baseline: float | None = None
    baseline_period: Month | None = None
    target: float | None = None
    rate_per_year: float | None = None
    target_period: Month | None = None
    trajectory: Trajectory = "linear"
    targets: Mapping[Month, float] = field(default_factory=dict)
    tolerance: float = DEFAULT_TOLERANCE
    weight: float = 1.0
    frequency: Frequency = "monthly"
    actuals: Mapping[Month, float] = field(default_factory=dict)
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    owner: str | None = None  # who enters its actuals; None: its objective's owner


@dataclass(frozen=True, slots=True)
class Objective:
    """A goal at one level; ``supports`` maps the ids it contributes to onto link weights,
    ``supports_strength`` those of its links that are not strong onto their strength."""

    id: str
    title: str
    level: Level
    owner: str | None = None
    unit: str | None = None
    start: Month | None = None
    end: Month | None = None
    supports: Mapping[str, float] = field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()
    customer_benefit: str | None = None
    tolerance: float = DEFAULT_TOLERANCE
    description: str | None = None
    supports_strength: Mapping[str, Strength] = field(default_factory=dict)
    addresses: tuple[str, ...] = ()  # the situation items it answers

    def deadline(self) -> date | None:
        """The last day of the ``end`` month, or None without an end."""
        return None if self.end is None else self.end.last_day()


@dataclass(frozen=True, slots=True)
class Risk:
    """A risk of an action: what would show it is happening (``trigger``), how much it
    matters (``level``) and what will be done if it happens (``contingency``)."""

    risk: str
    contingency: str | None = None
    trigger: str | None = None
    level: RiskLevel | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """Work that serves objectives and moves metrics; ``requires`` must finish first.
    ``serves_strength`` and ``moves_strength`` hold the links that are not strong."""

    id: str
    title: str
    owner: str | None = None
    unit: str | None = None
    serves: tuple[str, ...] = ()
    moves: tuple[str, ...] = ()
    start: date | None = None
    due: date | None = None
    duration_days: int | None = None
    requires: tuple[str, ...] = ()
    done: bool = False
    progress: float = 0.0
    budget: float | None = None
    fte: float | None = None
    risks: tuple[Risk, ...] = ()
    serves_strength: Mapping[str, Strength] = field(default_factory=dict)
    moves_strength: Mapping[str, Strength] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Countermeasure:
    """The response to a missed month of a metric."""

    id: str
    metric: str
    period: Month
    cause: str | None = None
    action: str | None = None
    owner: str | None = None
    due: date | None = None
    status: CountermeasureStatus = "open"
    effect: str | None = None  # what it changed: said when it is closed

    def overdue(self, as_of: date) -> bool:
        """Whether it was due before ``as_of`` and is not closed."""
        return self.status != "closed" and self.due is not None and self.due < as_of


def weaker(links: Mapping[str, Strength]) -> dict[str, Strength]:
    """The links of ``links`` (id -> strength) that are not strong: what the model keeps,
    so that a plan equals itself however its strong links were written."""
    return {key: strength for key, strength in links.items() if strength != "strong"}


@dataclass(frozen=True, slots=True)
class SituationItem:
    """A strength, weakness, opportunity or threat of the organisation's current position."""

    id: str
    kind: SituationKind
    text: str


@dataclass(frozen=True, slots=True)
class Plan:
    """A whole strategy plan, as written in a plan file."""

    organization: Organization
    vision: Vision = field(default_factory=Vision)
    units: tuple[Unit, ...] = ()
    people: tuple[Person, ...] = ()
    objectives: tuple[Objective, ...] = ()
    actions: tuple[Action, ...] = ()
    countermeasures: tuple[Countermeasure, ...] = ()
    situation: tuple[SituationItem, ...] = ()

    def metrics(self) -> list[Metric]:
        """Every metric of every objective, in file order."""
        return [metric for objective in self.objectives for metric in objective.metrics]
