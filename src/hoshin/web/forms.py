"""Plan-editing forms as plain values: the typed text of each field in, domain values out,
with each problem noted under the field it belongs to (pure: no request, no session).

Each field is read with the check of its type in hoshin.fields (an id, a month, a title, a
description, money, FTE), so a form takes what the plan file and the API take: the text as
typed, stripped of surrounding spaces (an empty field is no value)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from hoshin.domain.model import (
    DEFAULT_TOLERANCE,
    LEVELS,
    RISK_LEVELS,
    STRENGTHS,
    Action,
    Direction,
    Frequency,
    Level,
    Metric,
    Objective,
    Person,
    Risk,
    Strength,
    Trajectory,
    Unit,
    Vision,
    weaker,
)
from hoshin.domain.months import Month, in_calendar
from hoshin.domain.text import Kind
from hoshin.fields import amount_of, month_of, text_of

Fields = Mapping[str, str]
DIRECTIONS: tuple[Direction, ...] = ("increase", "decrease", "maintain")
TRAJECTORIES: tuple[Trajectory, ...] = ("linear", "compound")
FREQUENCIES: tuple[Frequency, ...] = ("monthly", "quarterly")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ROW = re.compile(r"([a-z]+)-([0-9]{1,4})-([a-z]+)")
# Problems the service names by their path in the plan file, shown at the form's field.
_FIELD_OF = {"resources.budget": "budget", "resources.fte": "fte"}


@dataclass
class Form:
    """What a form shows: the typed values, the problems by field, the version read, and
    the notices (saved, changed meanwhile, refused)."""

    values: dict[str, str]
    version: str = ""
    problems: dict[str, list[str]] = field(default_factory=dict)
    message: str | None = None
    notice: str | None = None
    stale: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, reason: str) -> None:
        """Notes a problem of field ``name`` (once)."""
        reasons = self.problems.setdefault(name, [])
        if reason not in reasons:
            reasons.append(reason)

    def value(self, name: str) -> str:
        """The field's text as typed or read ('' when empty)."""
        return self.values.get(name, "")

    def rows(self, kind: str) -> list[int]:
        """The row numbers of a repeated group (``supports-0-id``, ``risks-1-risk``, ...)."""
        found = {int(m.group(2)) for m in map(_ROW.fullmatch, self.values) if m and m[1] == kind}
        return sorted(found)

    def listed(self) -> list[tuple[str, str, str]]:
        """Every problem as (field, the field as people read it, reason), for the summary."""
        return [
            (name, label(name), reason)
            for name, reasons in self.problems.items()
            for reason in reasons
        ]

    def add_detail(self, detail: object) -> None:
        """Notes the service's problems (``[{"field", "reason"}]``) at the form's fields."""
        if not isinstance(detail, list):
            return
        for item in detail:
            if isinstance(item, dict) and "field" in item and "reason" in item:
                self.add(field_name(str(item["field"]), self.values), str(item["reason"]))


def field_name(path: str, values: Fields) -> str:
    """The form field a service problem names: ``supports.B1`` is the row holding B1,
    ``serves.x`` the serves field, ``resources.fte`` the fte field."""
    if path in _FIELD_OF:
        return _FIELD_OF[path]
    head, _, rest = path.partition(".")
    if head == "supports" and rest:
        for name, value in values.items():
            if value.strip() == rest and re.fullmatch(r"supports-[0-9]+-id|supports-new-id", name):
                return name
    return head


class Reader:
    """Reads typed values out of submitted fields, noting a problem for each bad one."""

    def __init__(self, fields: Fields) -> None:
        self.fields = fields
        self.problems: dict[str, list[str]] = {}

    def note(self, name: str, reason: str) -> None:
        """Notes a problem of field ``name``."""
        self.problems.setdefault(name, []).append(reason)

    def text(self, name: str, kind: Kind = "text") -> str | None:
        """The field's text, stripped (but an id: hoshin.fields.text_of); None when empty
        or blank, or when it breaks the rule of ``kind`` (a problem noted)."""
        typed = self.typed(name)
        if typed is None:
            return None
        try:
            return text_of(kind, typed) or None
        except ValueError as error:
            self.note(name, str(error))
            return None

    def typed(self, name: str) -> str | None:
        """The field's text as typed (a browser's CR LF read as LF); None when it is empty
        or blank: a form cannot tell an empty field from no value."""
        typed = self.fields.get(name, "").replace("\r\n", "\n")
        return typed if typed.strip() else None

    def required(self, name: str, kind: Kind = "text") -> str:
        """The field's text; a problem when it is empty."""
        value = self.text(name, kind)
        if value is None:
            if name not in self.problems:  # a value refused is not also "required"
                self.note(name, "required")
            return ""
        return value

    def key(self, name: str, *, required: bool = False) -> str | None:
        """An id (hoshin.fields.Id): 1-64 letters, digits, '.', '_' or '-'."""
        return (self.required(name, "id") if required else self.text(name, "id")) or None

    def keys(self, name: str) -> tuple[str, ...]:
        """Ids separated by commas or new lines, each once."""
        text = self.text(name) or ""
        items = [item.strip() for item in re.split(r"[,\n]", text) if item.strip()]
        for item in items:
            try:
                text_of("id", item)
            except ValueError as error:
                self.note(name, f"{item}: {error}")
        repeated = sorted({item for item in items if items.count(item) > 1})
        if repeated:
            self.note(name, f"listed more than once: {', '.join(repeated)}")
        return tuple(dict.fromkeys(items))

    def number(self, name: str, default: float | None = None) -> float | None:
        """A number (a decimal point, not a comma); ``default`` when empty."""
        text = self.text(name)
        if text is None:
            return default
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.note(name, f"'{text}' is not a number")
            return default
        return value

    def whole(self, name: str, low: int, high: int) -> int | None:
        """A whole number from ``low`` to ``high``."""
        text = self.text(name)
        if text is None:
            return None
        if not re.fullmatch(r"-?[0-9]{1,9}", text):
            self.note(name, f"'{text}' is not a whole number")
            return None
        value = int(text)
        if not low <= value <= high:
            self.note(name, f"must be from {low:,} to {high:,}")
            return None
        return value

    def month(self, name: str) -> Month | None:
        """A month, YYYY-MM, as typed (hoshin.fields.Period)."""
        text = self.typed(name)
        if text is None:
            return None
        try:
            return month_of(text)
        except ValueError as error:
            self.note(name, str(error))
            return None

    def day(self, name: str) -> date | None:
        """A day, YYYY-MM-DD."""
        text = self.text(name)
        if text is None:
            return None
        try:
            if not _DAY.fullmatch(text):
                raise ValueError(f"'{text}' is not a date: write YYYY-MM-DD, e.g. 2026-06-30")
            return in_calendar(date.fromisoformat(text))
        except ValueError as error:
            reason = str(error)
            if "is not a date" not in reason and "calendar" not in reason:
                reason = f"'{text}' is not a date: {reason}"
            self.note(name, reason)
            return None

    def choice(self, name: str, options: tuple[str, ...], default: str) -> str:
        """One of ``options``; ``default`` when empty."""
        text = self.text(name)
        if text is None:
            return default
        if text not in options:
            self.note(name, f"must be one of {', '.join(options)}")
            return default
        return text

    def amount(self, name: str) -> float | None:
        """An amount of money or FTE (hoshin.fields.Money, Fte): a number, not negative."""
        value = self.number(name)
        if value is None:
            return None
        try:
            return amount_of(value)
        except ValueError as error:
            self.note(name, str(error))
            return None

    def lines(self, name: str, kind: Kind = "line") -> tuple[str, ...]:
        """The field's non-empty lines, stripped, each one of ``kind`` (a problem noted for
        each that breaks its rule)."""
        found = []
        for number, line in enumerate((self.text(name) or "").split("\n"), start=1):
            try:
                value = text_of(kind, line)
            except ValueError as error:
                self.note(name, f"line {number}: {error}")
                continue
            if value:
                found.append(value)
        return tuple(found)


def row_numbers(fields: Fields, kind: str) -> list[int]:
    """The row numbers of a repeated group of submitted fields."""
    return Form(dict(fields)).rows(kind)


def vision_of(read: Reader) -> Vision:
    """The vision: statement, purpose, horizon year and values (one a line)."""
    return Vision(
        statement=read.text("statement", "description") or "",
        purpose=read.text("purpose", "description") or "",
        horizon=read.whole("horizon", 1, 9999),
        values=read.lines("values"),
    )


def unit_of(read: Reader, key: str | None) -> Unit:
    """A unit; ``key`` is the id of the one edited (None: the form's ``id``)."""
    return Unit(
        _key(read, key), read.required("name", "line"), read.key("parent"), read.key("lead")
    )


def person_of(read: Reader, key: str | None) -> Person:
    """A person."""
    return Person(
        _key(read, key), read.required("name", "line"), read.key("unit"),
        read.text("email", "email"),
    )  # fmt: skip


def objective_of(read: Reader, key: str | None) -> Objective:
    """An objective and its weighted ``supports`` (its metrics are edited on their own)."""
    level: Level = _level(read.choice("level", LEVELS, "annual"))
    return Objective(
        id=_key(read, key), title=read.required("title", "line"), level=level,
        owner=read.key("owner"), unit=read.key("unit"), start=read.month("start"),
        end=read.month("end"),
        supports=supports_of(read),
        supports_strength=supports_strength_of(read),
        customer_benefit=read.text("customer_benefit", "description"),
        tolerance=_number(read, "tolerance", DEFAULT_TOLERANCE),
        description=read.text("description", "description"),
        addresses=addresses_of(read),
    )  # fmt: skip


def addresses_of(read: Reader) -> tuple[str, ...]:
    """The situation items ticked under Addresses (fields ``address:W1``), in form order."""
    keys = []
    for name, value in read.fields.items():
        key = name.removeprefix("address:")
        if key != name and value:
            try:
                keys.append(text_of("id", key))
            except ValueError as error:
                read.note("addresses", f"{key}: {error}")
    return tuple(keys)


def supports_of(read: Reader) -> dict[str, float]:
    """The ``supports`` rows (id and weight; an empty id or a ticked Remove drops the row)."""
    links: dict[str, float] = {}
    rows = [str(number) for number in row_numbers(read.fields, "supports")] + ["new"]
    for row in rows:
        name = f"supports-{row}-id"
        parent = read.key(name)
        weight = read.number(f"supports-{row}-weight", 1.0)
        if parent is None or read.fields.get(f"supports-{row}-remove"):
            continue
        if parent in links:
            read.note(name, f"{parent} is linked twice")
        links[parent] = 1.0 if weight is None else weight
    return links


def supports_strength_of(read: Reader) -> dict[str, Strength]:
    """The strength of each kept ``supports`` row that is not strong (an empty choice is
    strong)."""
    strengths: dict[str, Strength] = {}
    for row in [str(number) for number in row_numbers(read.fields, "supports")] + ["new"]:
        parent = read.fields.get(f"supports-{row}-id", "").strip()
        if parent and not read.fields.get(f"supports-{row}-remove"):
            strengths[parent] = _strength(read, f"supports-{row}-strength")
    return weaker(strengths)


def strength_field(link: str, key: str) -> str:
    """The form field of the strength of an action's ``serves`` or ``moves`` link to ``key``."""
    return f"{link}-strength:{key}"


def link_strengths(read: Reader, link: str, keys: tuple[str, ...]) -> dict[str, Strength]:
    """The strength of each of an action's ``link`` (serves, moves) ids that is not strong."""
    return weaker({key: _strength(read, strength_field(link, key)) for key in keys})


def _strength(read: Reader, name: str) -> Strength:
    chosen = read.choice(name, STRENGTHS, "strong")
    return next((strength for strength in STRENGTHS if strength == chosen), "strong")


def metric_of(read: Reader, key: str | None) -> Metric:
    """A metric (its actuals are recorded on their own); no trajectory chosen means
    compound with a rate per year, else linear, as in the plan file."""
    rate = read.number("rate_per_year")
    chosen = read.choice("trajectory", TRAJECTORIES, "")
    implied = chosen == "compound" or (not chosen and rate is not None)
    trajectory: Trajectory = "compound" if implied else "linear"
    direction: Direction = _direction(read.choice("direction", DIRECTIONS, "increase"))
    quarterly = read.choice("frequency", FREQUENCIES, "monthly") == "quarterly"
    frequency: Frequency = "quarterly" if quarterly else "monthly"
    return Metric(
        id=_key(read, key), name=read.required("name", "line"), direction=direction,
        baseline=read.number("baseline"), baseline_period=read.month("baseline_period"),
        target=read.number("target"), rate_per_year=rate,
        target_period=read.month("target_period"), trajectory=trajectory,
        targets=targets_of(read), tolerance=_number(read, "tolerance", DEFAULT_TOLERANCE),
        weight=_number(read, "weight", 1.0), frequency=frequency, unit=read.text("unit", "line"),
        minimum=read.number("min"), maximum=read.number("max"), owner=read.key("owner"),
    )  # fmt: skip


def targets_of(read: Reader) -> dict[Month, float]:
    """Planned values for given months, one ``YYYY-MM: value`` a line."""
    targets: dict[Month, float] = {}
    for line in read.lines("targets"):
        month_text, _, value_text = line.replace("=", ":").partition(":")
        try:
            month = month_of(month_text.strip())
            value = float(value_text)
            if not math.isfinite(value):
                raise ValueError("not finite")
        except ValueError:
            read.note("targets", f"'{line}' is not 'YYYY-MM: number'")
            continue
        targets[month] = value
    return targets


def action_of(read: Reader, key: str | None) -> Action:
    """An action with its links (and their strengths), resources and risks."""
    serves, moves = read.keys("serves"), read.keys("moves")
    return Action(
        id=_key(read, key), title=read.required("title", "line"), owner=read.key("owner"),
        unit=read.key("unit"), serves=serves, moves=moves,
        serves_strength=link_strengths(read, "serves", serves),
        moves_strength=link_strengths(read, "moves", moves),
        start=read.day("start"), due=read.day("due"),
        duration_days=read.whole("duration_days", -100_000, 100_000),
        requires=read.keys("requires"), done=bool(read.fields.get("done")),
        progress=_number(read, "progress", 0.0), budget=read.amount("budget"),
        fte=read.amount("fte"), risks=risks_of(read),
    )  # fmt: skip


def risks_of(read: Reader) -> tuple[Risk, ...]:
    """The risk rows (an empty row is dropped; a contingency needs its risk)."""
    risks = []
    for row in [str(number) for number in row_numbers(read.fields, "risks")] + ["new"]:
        risk = read.text(f"risks-{row}-risk", "description")
        contingency = read.text(f"risks-{row}-contingency", "description")
        trigger = read.text(f"risks-{row}-trigger", "description")
        level = read.choice(f"risks-{row}-level", RISK_LEVELS, "")
        if risk is None:
            if contingency is not None or trigger is not None:
                what = "a contingency" if contingency is not None else "a trigger"
                read.note(f"risks-{row}-risk", f"{what} needs the risk it answers")
            continue
        known = next((choice for choice in RISK_LEVELS if choice == level), None)
        risks.append(Risk(risk, contingency, trigger, known))
    return tuple(risks)


def _key(read: Reader, key: str | None) -> str:
    return key if key is not None else read.key("id", required=True) or ""


def _number(read: Reader, name: str, default: float) -> float:
    value = read.number(name, default)
    return default if value is None else value


def _level(text: str) -> Level:
    return next((level for level in LEVELS if level == text), "annual")


def _direction(text: str) -> Direction:
    return next((direction for direction in DIRECTIONS if direction == text), "increase")


def label(name: str) -> str:
    """A field's name as people read it: ``supports-0-weight`` is "supports link 1, weight"."""
    linked = re.fullmatch(r"(serves|moves)-strength:(.+)", name)
    if linked:
        return f"{linked[1]} {linked[2]}, strength"
    found = re.fullmatch(r"([a-z]+)-([0-9]{1,4}|new)-([a-z]+)", name)
    if found:
        kind, row, part = found.groups()
        what = "supports link" if kind == "supports" else kind.rstrip("s")
        return f"new {what}, {part}" if row == "new" else f"{what} {int(row) + 1}, {part}"
    return name.replace("_", " ")
