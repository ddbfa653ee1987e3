"""Reads a plan file into a ``Plan``; every problem is reported as ``FILE:LINE: message``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pydantic
import yaml
import yaml_rs

from hoshin.domain.actuals import Actuals, ActualsBuilder
from hoshin.domain.analysis import paused_gc
from hoshin.domain.model import (
    DEFAULT_TOLERANCE,
    Action,
    Countermeasure,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Risk,
    SituationItem,
    Unit,
    Vision,
    weaker,
)
from hoshin.domain.months import Month
from hoshin.domain.validation import plan_problems
from hoshin.planfile import guard
from hoshin.planfile.locate import Refused, walk
from hoshin.planfile.schema import (
    ActionIn,
    CountermeasureIn,
    MetricIn,
    ObjectiveIn,
    PlanIn,
    describe,
    printable,
    shown,
)

MOST_PROBLEMS = 100  # reported of one file; a hostile file could have millions


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One problem in a plan file, at a line (1-based); in a workbook, at a row of a sheet
    (as the spreadsheet numbers them: the header is row 1)."""

    file: str
    line: int
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}:{self.line}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


class PlanFileError(Exception):
    """A plan file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def read_plan(path: Path) -> Plan:
    """The plan in the file at ``path`` (YAML, JSON, or a workbook in the export's layout
    when it ends in .xlsx); raises ``PlanFileError`` for any problem."""
    if path.suffix.lower() == ".xlsx":
        # imported here: the workbook's reader builds on this module (plan_of_data), and
        # openpyxl is loaded only by a command that reads a workbook
        from hoshin.planfile.workbook_reader import read_workbook

        return read_workbook(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlanFileError([FileProblem(str(path), 1, f"cannot read the file: {error}")]) from None
    return parse_plan(text, str(path))


def parse_plan(text: str, name: str = "<plan>") -> Plan:
    """The plan in ``text`` (YAML, or JSON when ``name`` ends in .json)."""
    with paused_gc():
        return _parse_plan(text, name)


def _parse_plan(text: str, name: str) -> Plan:
    data = _load(text, name)
    if not isinstance(data, dict):
        raise PlanFileError([FileProblem(name, 1, "a plan file is a mapping with hoshin: 1 first")])
    if data.get("hoshin") != 1:
        version = data.get("hoshin")
        message = (
            "missing 'hoshin: 1' (the format version)"
            if version is None
            else f"format version {shown(version)} is not supported; this hoshin reads version 1"
        )
        raise _located(text, name, [(("hoshin",), message)])

    def located(found: list[Found]) -> PlanFileError:
        return _located(text, name, [(path, f"{_where(path)}: {why}") for path, why in found])

    model = _validated(data, located)
    del data  # the plan is made from the model: its memory, a third of the peak, is reused
    return _plan_of_model(model, located)


# A problem at a path of the plan-file data, in words that do not say where it is.
Found = tuple[tuple[Any, ...], str]


def plan_of_data(data: dict[str, Any], located: Callable[[list[Found]], PlanFileError]) -> Plan:
    """The plan of plan-file data (loaded from a file, or built from a workbook's sheets);
    raises what ``located`` makes of the problems found at their paths of ``data``."""
    with paused_gc():
        return _plan_of_model(_validated(data, located), located)


def _validated(data: dict[str, Any], located: Callable[[list[Found]], PlanFileError]) -> PlanIn:
    try:
        return PlanIn.model_validate(data)
    except pydantic.ValidationError as error:
        raise located(
            [(item["loc"], describe(item)) for item in error.errors(include_url=False)]
        ) from None


def _plan_of_model(model: PlanIn, located: Callable[[list[Found]], PlanFileError]) -> Plan:
    plan = to_plan(model)
    broken = plan_problems(plan)
    if broken:
        raise located([(problem.path, problem.message) for problem in broken])
    return plan


def _located(text: str, name: str, found: list[tuple[tuple[Any, ...], str]]) -> PlanFileError:
    """The problems at their lines, at most MOST_PROBLEMS of them and a count of the rest."""
    shown_now = found[:MOST_PROBLEMS]
    try:
        lines = walk(text, [path for path, _ in shown_now])
    except Refused as refused:
        # Deeper than any plan (a schema error is sure to follow): the cause, not the symptom.
        return PlanFileError([FileProblem(name, refused.line, refused.message)])
    except yaml.YAMLError:
        lines = [1] * len(shown_now)
    problems = [
        FileProblem(name, line, message)
        for line, (_, message) in zip(lines, shown_now, strict=True)
    ]
    if len(found) > len(shown_now):
        more = len(found) - len(shown_now)
        problems.append(FileProblem(name, lines[-1], f"... and {more:,} more problem(s)"))
    return PlanFileError(problems)


def _load(text: str, name: str) -> Any:
    if name.endswith(".json"):
        try:
            return json.loads(text, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as error:
            raise PlanFileError([FileProblem(name, error.lineno, error.msg)]) from None
        except RecursionError:
            # The C decoder guards its recursion; no plan comes near it.
            refused = guard.json_too_deep(text)
            raise PlanFileError([FileProblem(name, refused.line, refused.message)]) from None
        except ValueError as error:
            raise PlanFileError([FileProblem(name, 1, str(error))]) from None
    try:
        # Before yaml-rs: it overflows its stack on deep block nesting and copies what
        # aliases repeat; the check is a few cheap scans for any file that cannot.
        guard.check_yaml(text)
        # yaml-rs (Rust) parses twenty times faster than PyYAML's C loader, which matters for
        # a plan of 50,000 people; libyaml's events then only find the line of a problem.
        # Dates as text, read by the schema as JSON's are: yaml-rs would take a quoted
        # '2026-01-05' (a title, an id) for a date too.
        return yaml_rs.loads(text, parse_datetime=False, alias_limits=guard.alias_limits(text))
    except Refused as refused:
        raise PlanFileError([FileProblem(name, refused.line, refused.message)]) from None
    except yaml.YAMLError as error:
        raise PlanFileError([_yaml_problem(name, error)]) from None
    except yaml_rs.YAMLDecodeError as error:
        raise _located_yaml_error(text, name, str(error)) from None


def _located_yaml_error(text: str, name: str, message: str) -> PlanFileError:
    """The YAML problem as ``FILE:LINE``, found again by libyaml for its line and words."""
    try:
        walk(text)
    except Refused as refused:
        return PlanFileError([FileProblem(name, refused.line, refused.message)])
    except yaml.YAMLError as error:
        return PlanFileError([_yaml_problem(name, error)])
    # yaml-rs's own words: "... at line 3, column 5", the text, then the reason
    found = re.search(r"line (\d+)", message)
    reason = printable(message.strip().splitlines()[-1]) if message.strip() else "cannot be read"
    return PlanFileError(
        [FileProblem(name, int(found.group(1)) if found else 1, f"not valid YAML: {reason}")]
    )


def _yaml_problem(name: str, error: yaml.YAMLError) -> FileProblem:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        return FileProblem(name, line, f"not valid YAML: {printable(error.problem or '')}")
    return FileProblem(name, 1, f"not valid YAML: {printable(str(error))}")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"key '{key}' appears twice in one object")
            seen.add(key)
    return mapping


def _where(path: tuple[Any, ...]) -> str:
    """``objectives[2].metrics[0].target`` from a path (a key from the file shown safely)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "[key]":
            key = str(part)
            if not key.isidentifier() and not _PLAIN_KEY.fullmatch(key):
                key = shown(key)
            text += f".{key}" if text else key
    return text


_PLAIN_KEY = re.compile(r"[\w.:-]{1,60}")


month = cache(Month.parse)


def to_plan(model: PlanIn) -> Plan:
    """The domain plan of a validated plan file."""
    # The plan's actuals in one columnar table, as load_plan's: 12 bytes an actual instead of
    # a dict entry's 100, and the engine and the report compute on its columns.
    actuals = ActualsBuilder()
    return Plan(
        organization=Organization(model.organization.name, model.organization.fiscal_year_start),
        vision=Vision(
            model.vision.statement,
            model.vision.purpose,
            model.vision.horizon,
            tuple(model.vision.values),
        ),
        units=tuple(Unit(u.id, u.name, u.parent, u.lead) for u in model.units),
        people=tuple(Person(p.id, p.name, p.unit, p.email) for p in model.people),
        objectives=tuple(_objective(o, actuals) for o in model.objectives),
        actions=tuple(_action(a) for a in model.actions),
        countermeasures=tuple(_countermeasure(c) for c in model.countermeasures),
        situation=tuple(SituationItem(i.id, i.kind, i.text) for i in model.situation),
    )


def _optional_month(text: str | None) -> Month | None:
    return None if text is None else month(text)


def _objective(item: ObjectiveIn, actuals: ActualsBuilder) -> Objective:
    return Objective(
        id=item.id,
        title=item.title,
        level=item.level,
        owner=item.owner,
        unit=item.unit,
        start=_optional_month(item.start),
        end=_optional_month(item.end),
        supports={key: link.weight for key, link in item.supports.items()},
        metrics=tuple(_metric(m, actuals) for m in item.metrics),
        customer_benefit=item.customer_benefit,
        tolerance=DEFAULT_TOLERANCE if item.tolerance is None else item.tolerance,
        description=item.description,
        supports_strength=weaker({key: link.strength for key, link in item.supports.items()}),
        addresses=tuple(item.addresses),
    )


def _metric(item: MetricIn, actuals: ActualsBuilder) -> Metric:
    trajectory = item.trajectory or ("compound" if item.rate_per_year is not None else "linear")
    return Metric(
        id=item.id,
        name=item.name,
        direction=item.direction,
        baseline=item.baseline,
        baseline_period=_optional_month(item.baseline_period),
        target=item.target,
        rate_per_year=item.rate_per_year,
        target_period=_optional_month(item.target_period),
        trajectory=trajectory,
        targets=dict(zip(map(month, item.targets), item.targets.values(), strict=True)),
        tolerance=DEFAULT_TOLERANCE if item.tolerance is None else item.tolerance,
        weight=item.weight,
        frequency=item.frequency,
        actuals=_in_order(item.actuals, actuals),
        unit=item.unit,
        minimum=item.minimum,
        maximum=item.maximum,
        owner=item.owner,
    )


def _in_order(values: dict[str, float], table: ActualsBuilder) -> Actuals:
    """``values`` by month, added to the plan's table in order of the months (in C: millions
    of actuals)."""
    keys = tuple(values)
    months, order = (_shared_order if len(keys) <= SHARED_KEYS else _order)(keys)
    return table.add(months, values.values() if order is None else map(values.__getitem__, order))


def _order(keys: tuple[str, ...]) -> tuple[tuple[Month, ...], tuple[str, ...] | None]:
    """The months of ``keys`` in order, and the keys in that order (None: as they are)."""
    order = tuple(sorted(keys))  # as text: YYYY-MM sorts as the months do
    return tuple(map(month, order)), None if order == keys else order


# Most metrics of a plan report the same run of months: their order is found once. Runs of
# at most SHARED_KEYS months are kept, so that a file cannot fill the memory with them.
SHARED_KEYS = 240
_shared_order = lru_cache(maxsize=256)(_order)


def _action(item: ActionIn) -> Action:
    return Action(
        id=item.id,
        title=item.title,
        owner=item.owner,
        unit=item.unit,
        serves=tuple(item.serves),
        moves=tuple(item.moves),
        serves_strength=weaker(item.serves),
        moves_strength=weaker(item.moves),
        start=item.start,
        due=item.due,
        duration_days=item.duration_days,
        requires=tuple(item.requires),
        done=item.done,
        progress=item.progress,
        budget=item.resources.budget,
        fte=item.resources.fte,
        risks=tuple(Risk(r.risk, r.contingency, r.trigger, r.level) for r in item.risks),
    )


def _countermeasure(item: CountermeasureIn) -> Countermeasure:
    return Countermeasure(
        id=item.id,
        metric=item.metric,
        period=month(item.period),
        cause=item.cause,
        action=item.action,
        owner=item.owner,
        due=item.due,
        status=item.status,
        effect=item.effect,
    )
