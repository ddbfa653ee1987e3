"""The shape of a plan file (format version 1), checked by pydantic before conversion.

Its fields are the vocabulary every door shares (hoshin.fields): an id, a month, a title
or name, a description, money and FTE; each refused value is named.
"""

from __future__ import annotations

import re
import reprlib
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from hoshin.domain.model import (
    CountermeasureStatus,
    Direction,
    Frequency,
    Level,
    RiskLevel,
    SituationKind,
    Strength,
    Trajectory,
)
from hoshin.domain.months import in_calendar
from hoshin.fields import Description, Email, Fte, Id, Line, Money, Period, Title

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_from_text(value: object) -> object:
    """JSON has no date type: accept ISO text there; YAML already gives dates."""
    if isinstance(value, str):
        try:
            if _DATE_RE.fullmatch(value) is None:  # fromisoformat also takes 20260615, 2026-W24
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{shown(value)} is not a date: write YYYY-MM-DD") from None
    return value


def _supports_map(value: object) -> object:
    """``supports`` may be a list of ids (weight 1 each) or a map of id to a weight or to
    ``{weight, strength}``."""
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ValueError("supports lists objective ids, or maps ids to weights")
        return dict.fromkeys(value, 1.0)
    return value


def _support_link(value: object) -> object:
    """A ``supports`` value: a weight, or a map of ``weight`` and ``strength``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"weight": value}
    if isinstance(value, dict):
        return value
    raise ValueError(f"expected a weight or {{weight, strength}}, got {shown(value)}")


def _strength_map(value: object) -> object:
    """``serves``/``moves`` may be a list of ids (each strong) or a map of id to strength."""
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ValueError("lists ids, or maps ids to strong, medium or weak")
        # counted only when some id repeats: a count per id is quadratic, and 100,000
        # actions each list their ids
        if len(set(value)) != len(value):
            repeated = sorted({item for item in value if value.count(item) > 1})
            raise ValueError(f"lists {', '.join(map(shown, repeated))} more than once")
        return dict.fromkeys(value, "strong")
    return value


Day = Annotated[date, BeforeValidator(_date_from_text), AfterValidator(in_calendar)]
_CONFIG = ConfigDict(extra="forbid", strict=True, populate_by_name=True, allow_inf_nan=False)


class Strict(BaseModel):
    """Unknown keys are errors (a typo must not silently drop data); no type coercion."""

    model_config = _CONFIG


# Month texts the Period rule has taken, not checked again: a plan of 50,000 people has
# millions of months (its actuals' keys) over a few dozen, and calling the rule from
# pydantic for each was most of the reading. At most the calendar's 13,200.
_MONTHS_TAKEN: set[str] = set()
_NUMBERS = TypeAdapter(dict[str, float], config=_CONFIG)


def _known_month(value: object, rule: ValidatorFunctionWrapHandler) -> object:
    """A Period: taken at once when the rule took the same text before."""
    if type(value) is str and value in _MONTHS_TAKEN:
        return value
    taken = rule(value)
    _MONTHS_TAKEN.add(taken)
    return taken


def _by_month(value: object, rule: ValidatorFunctionWrapHandler) -> object:
    """A map of Period to number: its keys not checked again when the rule took them all
    before. Any other map, or one with a value pydantic refuses, goes through the rule
    key by key and gets its messages."""
    if type(value) is dict and _MONTHS_TAKEN.issuperset(value):
        try:
            return _NUMBERS.validate_python(value)
        except ValidationError:
            pass
    taken = rule(value)
    _MONTHS_TAKEN.update(taken)
    return taken


MonthText = Annotated[Period, WrapValidator(_known_month)]
ByMonth = Annotated[dict[Period, float], WrapValidator(_by_month)]


class OrganizationIn(Strict):
    name: Line
    fiscal_year_start: int = 1


class VisionIn(Strict):
    statement: Description = ""
    purpose: Description = ""
    horizon: int | None = None
    values: list[Line] = Field(default_factory=list)


class UnitIn(Strict):
    id: Id
    name: Title
    parent: Id | None = None
    lead: Id | None = None


class PersonIn(Strict):
    id: Id
    name: Title
    unit: Id | None = None
    email: Email | None = None


class MetricIn(Strict):
    id: Id
    name: Title
    unit: Line | None = None
    direction: Direction = "increase"
    baseline: float | None = None
    baseline_period: MonthText | None = None
    target: float | None = None
    rate_per_year: float | None = None
    target_period: MonthText | None = None
    trajectory: Trajectory | None = None
    targets: ByMonth = Field(default_factory=dict)
    tolerance: float | None = None
    weight: float = 1.0
    frequency: Frequency = "monthly"
    minimum: float | None = Field(default=None, alias="min")
    maximum: float | None = Field(default=None, alias="max")
    owner: Id | None = None
    actuals: ByMonth = Field(default_factory=dict)


class SupportIn(Strict):
    weight: float = 1.0
    strength: Strength = "strong"


class ObjectiveIn(Strict):
    id: Id
    title: Title
    level: Level
    owner: Id | None = None
    unit: Id | None = None
    start: MonthText | None = None
    end: MonthText | None = None
    supports: Annotated[
        dict[Id, Annotated[SupportIn, BeforeValidator(_support_link)]],
        BeforeValidator(_supports_map),
    ] = Field(default_factory=dict)
    metrics: list[MetricIn] = Field(default_factory=list)
    customer_benefit: Description | None = None
    tolerance: float | None = None
    description: Description | None = None
    addresses: list[Id] = Field(default_factory=list)


class ResourcesIn(Strict):
    budget: Money | None = None
    fte: Fte | None = None


class RiskIn(Strict):
    risk: Description
    level: RiskLevel | None = None
    trigger: Description | None = None
    contingency: Description | None = None


class SituationItemIn(Strict):
    id: Id
    kind: SituationKind
    text: Title


class ActionIn(Strict):
    id: Id
    title: Title
    owner: Id | None = None
    unit: Id | None = None
    serves: Annotated[dict[Id, Strength], BeforeValidator(_strength_map)] = Field(
        default_factory=dict
    )
    moves: Annotated[dict[Id, Strength], BeforeValidator(_strength_map)] = Field(
        default_factory=dict
    )
    start: Day | None = None
    due: Day | None = None
    duration_days: int | None = None
    requires: list[Id] = Field(default_factory=list)
    done: bool = False
    progress: float = 0.0
    resources: ResourcesIn = Field(default_factory=ResourcesIn)
    risks: list[RiskIn] = Field(default_factory=list)


class CountermeasureIn(Strict):
    id: Id
    metric: Id
    period: MonthText
    cause: Description | None = None
    action: Description | None = None
    owner: Id | None = None
    due: Day | None = None
    status: CountermeasureStatus = "open"
    effect: Description | None = None


class PlanIn(Strict):
    hoshin: Literal[1]
    organization: OrganizationIn
    vision: VisionIn = Field(default_factory=VisionIn)
    situation: list[SituationItemIn] = Field(default_factory=list)
    units: list[UnitIn] = Field(default_factory=list)
    people: list[PersonIn] = Field(default_factory=list)
    objectives: list[ObjectiveIn] = Field(default_factory=list)
    actions: list[ActionIn] = Field(default_factory=list)
    countermeasures: list[CountermeasureIn] = Field(default_factory=list)


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 2, 60, 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str, longest: int = 200) -> str:
    """``text`` from the file for a message: control characters escaped, at most ``longest``."""
    text = text if len(text) <= longest else text[: longest - 3] + "..."
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def shown(value: object) -> str:
    """A value from the file for a message: quoted, short, shallow, controls escaped."""
    if isinstance(value, str):
        return f"'{printable(value, 60)}'"
    return printable(_REPR.repr(value), 200)


def describe(error: Any) -> str:
    """A pydantic error in the words of a plan file."""
    kind, value = error["type"], error.get("input")
    field = next((part for part in reversed(error["loc"]) if isinstance(part, str)), "")
    if kind == "missing":
        return f"missing required key {shown(field)}"
    if kind == "extra_forbidden":
        return f"unknown key {shown(field)}"
    if kind == "string_too_long":
        longest = error["ctx"]["max_length"]
        return f"is {len(value):,} characters long: at most {longest:,}"
    if kind == "string_too_short":
        return "is empty"
    if kind == "literal_error":
        return f"{error['msg'].replace('Input should be', 'must be')}, not {shown(value)}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        wanted = "a whole number" if kind.startswith("int") else "a number"
        return f"expected {wanted}, got {shown(value)}"
    if kind == "bool_type":
        return f"expected true or false, got {shown(value)}"
    if kind == "string_type":
        return f"expected text, got {shown(value)} (quote it)"
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return f"expected a date YYYY-MM-DD, got {shown(value)}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])
