"""Many check-ins at once from a spreadsheet: every row is checked against the
organisation (the metric, who may record it, the month's stored value) before anything is
written, and then all are recorded in the caller's transaction through the check-in service,
audited and announced (actual.recorded) as check-ins through the API are; a row's note is
kept in its check-in's audit event (checkin.audited_state)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy.orm import Session

from hoshin.domain.figures import exact
from hoshin.domain.months import Month
from hoshin.errors import Forbidden, InvalidInput, NotFound, PreconditionFailed
from hoshin.fields import month_of, text_of
from hoshin.planfile.actuals_file import ActualLine, RowProblem, read_actuals
from hoshin.service import checkin, policy
from hoshin.service.asker import Who
from hoshin.service.notify import publish
from hoshin.service.policy import Act
from hoshin.store.metric import actuals_in, metric_objectives
from hoshin.store.organization import OrganizationRow

Kind = Literal["new", "corrected", "unchanged"]
KINDS: Final[tuple[Kind, ...]] = ("new", "corrected", "unchanged")
MOST_LISTED: Final = 100  # problems listed; the rest are counted ("and 30 more")
# How each door tells a person to replace stored values (the command's, by default).
CORRECT_HINT: Final = "use --correct to replace it"


@dataclass(frozen=True, slots=True)
class Change:
    """What a row does to a month's actual: ``before`` is the stored value (None: none)."""

    row: int
    metric: str
    month: Month
    before: float | None
    after: float
    kind: Kind
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        """The change as the API answers it."""
        return {
            "row": self.row, "metric": self.metric, "month": str(self.month),
            "before": self.before, "after": self.after, "kind": self.kind, "note": self.note,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Imported:
    """The rows' changes, and whether they were recorded (False: a dry run, a preview)."""

    changes: list[Change]
    recorded: bool

    def count(self, kind: Kind) -> int:
        """How many rows are of ``kind``."""
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def written(self) -> int:
        """How many actuals are (or would be) written: the new and the corrected ones."""
        return self.count("new") + self.count("corrected")

    def summary(self, org: str) -> str:
        """``recorded 120 actuals (3 corrected, 7 unchanged) for acme`` (``would record``
        when nothing was saved)."""
        verb = "recorded" if self.recorded else "would record"
        plural = "" if self.written == 1 else "s"
        counts = f"{self.count('corrected')} corrected, {self.count('unchanged')} unchanged"
        return f"{verb} {self.written} actual{plural} ({counts}) for {org}"


class RowsRefused(InvalidInput):
    """The rows that are wrong, each where the spreadsheet shows it: nothing was saved.
    ``detail`` lists the first MOST_LISTED as the API answers them."""

    def __init__(self, name: str, problems: Sequence[RowProblem]) -> None:
        ordered = sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
        count = len(ordered)
        where = f"{count} problem{'' if count == 1 else 's'}"
        listed = "" if count <= MOST_LISTED else f" (the first {MOST_LISTED} listed)"
        super().__init__(
            f"{name}: {where}{listed}; nothing was saved",
            [problem.as_json() for problem in ordered[:MOST_LISTED]],
        )
        self.name = name
        self.problems = ordered

    def lines(self) -> list[str]:
        """``FILE:ROW: column: problem`` for each of the first MOST_LISTED, and how many more."""
        shown = [problem.line(self.name) for problem in self.problems[:MOST_LISTED]]
        more = len(self.problems) - MOST_LISTED
        return shown + ([f"and {more:,} more"] if more > 0 else [])


@dataclass(frozen=True, slots=True)
class Importer:
    """Who imports into which organisation, as the check-in service takes them."""

    org: OrganizationRow
    role: str
    person: str | None
    who: Who


def import_file(
    session: Session,
    *,
    by: Importer,
    name: str,
    body: bytes,
    correct: bool,
    dry_run: bool,
    now: datetime,
    hint: str = CORRECT_HINT,
) -> Imported:
    """Reads the spreadsheet ``body`` (named ``name``: .xlsx or .csv) and records its rows
    (import_lines); RowsRefused listing every problem, of the file and of its rows."""
    read = read_actuals(name, body)
    return import_lines(
        session, by=by, name=name, lines=read.lines, problems=read.problems, correct=correct,
        dry_run=dry_run, now=now, hint=hint,
    )  # fmt: skip


def import_lines(
    session: Session,
    *,
    by: Importer,
    name: str,
    lines: Sequence[ActualLine],
    correct: bool,
    dry_run: bool,
    now: datetime,
    problems: Sequence[RowProblem] = (),
    seen: Mapping[int, float | None] | None = None,
    hint: str = CORRECT_HINT,
) -> Imported:
    """Checks every row, then (unless ``dry_run``) records the new and the corrected ones
    in the session's transaction, all or none; RowsRefused when any row is wrong (with
    ``problems``, those found reading the file). A row equal to the stored value is
    unchanged: not written, not audited. A different stored value is replaced only when
    ``correct``. ``seen``: the stored value each row's preview showed, by row: a value
    changed since is a problem, never overwritten. Forbidden for a role that records no
    actuals (a viewer)."""
    policy.require(by.role, Act.WORK, "record actuals", theirs=True)
    stored = actuals_in(session, org_id=by.org.id, periods={int(line.month) for line in lines})
    checked = _Check(session, by, stored, correct=correct, seen=seen, hint=hint)
    changes = [change for line in lines if (change := checked.change(line)) is not None]
    found = [*problems, *checked.problems]
    if found:
        raise RowsRefused(name, found)
    if dry_run:
        return Imported(changes, recorded=False)
    refused = _record(session, by, changes, stored, checked.objectives, now)
    if refused:
        raise RowsRefused(name, refused)
    return Imported(changes, recorded=True)


class _Check:
    """The checks of rows against the organisation, with the problems found so far."""

    def __init__(
        self,
        session: Session,
        by: Importer,
        stored: Mapping[tuple[str, int], tuple[float, int]],
        *,
        correct: bool,
        seen: Mapping[int, float | None] | None,
        hint: str,
    ) -> None:
        self.session, self.by, self.stored = session, by, stored
        self.correct, self.seen, self.hint = correct, seen, hint
        self.objectives = metric_objectives(session, org_id=by.org.id)
        self.refusals: dict[str, str | None] = {}  # whether the asker may record each metric
        self.first: dict[tuple[str, int], int] = {}  # the row of each metric's month
        self.problems: list[RowProblem] = []

    def change(self, line: ActualLine) -> Change | None:
        """The row's change, or None with its problem noted."""
        key = (line.metric, int(line.month))
        if line.metric not in self.objectives:
            return self._problem(line, "metric", f"unknown metric '{line.metric}'")
        refused = self._refusal(line.metric)
        if refused is not None:
            return self._problem(line, "metric", refused)
        first = self.first.setdefault(key, line.row)
        if first != line.row:
            return self._problem(
                line, "month", f"{line.metric} {line.month} is also on row {first}"
            )
        found = self.stored.get(key)
        before = None if found is None else found[0]
        if self.seen is not None and before not in (self.seen.get(line.row), line.value):
            return self._problem(line, "value", _changed(line, before, self.seen.get(line.row)))
        if before is None:
            kind: Kind = "new"
        elif before == line.value:
            kind = "unchanged"
        elif self.correct:
            kind = "corrected"
        else:
            reason = f"{line.month} already has {exact(before)} for {line.metric}; {self.hint}"
            return self._problem(line, "value", reason)
        return Change(line.row, line.metric, line.month, before, line.value, kind, line.note)

    def _refusal(self, metric: str) -> str | None:
        """Why the asker may not record ``metric`` (checkin.check_may_record), or None; the
        role alone answers for editors and admins, without a query."""
        if policy.may(self.by.role, Act.WORK):
            return None
        if metric not in self.refusals:
            try:
                checkin.check_may_record(
                    self.session, org=self.by.org, role=self.by.role, person=self.by.person,
                    metric=metric,
                )  # fmt: skip
                self.refusals[metric] = None
            except (Forbidden, NotFound) as error:
                self.refusals[metric] = error.message
        return self.refusals[metric]

    def _problem(self, line: ActualLine, column: str, reason: str) -> Change | None:
        """Notes the row's problem; None, the change it has not."""
        self.problems.append(RowProblem(line.row, column, reason))
        return None


def _changed(line: ActualLine, before: float | None, shown: float | None) -> str:
    """The problem of a row whose stored value changed since its preview showed it."""
    now = "has none" if before is None else f"is {exact(before)}"
    was = "none" if shown is None else exact(shown)
    return (
        f"{line.metric} {line.month} {now} now, not {was} as the preview showed: "
        "someone changed it meanwhile"
    )


def _record(
    session: Session,
    by: Importer,
    changes: Sequence[Change],
    stored: Mapping[tuple[str, int], tuple[float, int]],
    objectives: Mapping[str, str],
    now: datetime,
) -> list[RowProblem]:
    """Writes the changes through the check-in service: the new ones in one statement
    (record_new_actuals), each correction at the version read (record_actual), and one
    publication of their webhook events. The problems of rows someone changed meanwhile."""
    new = [c for c in changes if c.kind == "new"]
    firsts = [
        checkin.NewActual(by.org.id, c.metric, c.month, c.after, by.who, now,
                          objective=objectives[c.metric], org=by.org, note=c.note)
        for c in new
    ]  # fmt: skip
    meanwhile = "was recorded meanwhile by someone else: nothing was saved; check again"
    saved = checkin.record_new_actuals(session, firsts)
    problems = [
        RowProblem(c.row, "value", f"{c.metric} {c.month} {meanwhile}")
        for c, actual in zip(new, saved, strict=True)
        if not isinstance(actual, checkin.Actual)
    ]
    published: list[checkin.Recorded] = []
    for c in changes:
        if c.kind != "corrected":
            continue
        try:
            checkin.record_actual(
                session, org=by.org, role=by.role, person=by.person, metric=c.metric,
                period=c.month, value=c.after, if_match=stored[(c.metric, int(c.month))][1],
                who=by.who, now=now, published=published, note=c.note,
            )  # fmt: skip
        except PreconditionFailed as error:
            problems.append(RowProblem(c.row, "value", f"{error.message}; nothing was saved"))
    if not problems:
        publish(session, org=by.org, events=published, now=now)
    return problems


# The rows a page carries from its preview to its save (web.actuals_import): the row, the
# metric, the month, the value, the note and the stored value the preview showed.
def carried(imported: Imported) -> str:
    """The previewed rows as text for a form to send back (read back by rows_carried)."""
    rows = [[c.row, c.metric, str(c.month), c.after, c.note, c.before] for c in imported.changes]
    return json.dumps(rows, separators=(",", ":"), ensure_ascii=False)


def rows_carried(text: str) -> tuple[list[ActualLine], dict[int, float | None]]:
    """The rows and the values their preview showed (``seen``), from carried's text: checked
    as a file's rows are, for a form's fields are anyone's to change. InvalidInput if it is
    not carried's text."""
    try:
        rows = json.loads(text)
        lines, seen = [], {}
        for row, metric, month, value, note, before in rows:
            if not isinstance(row, int) or row < 2 or row in seen:
                raise ValueError(row)
            if not _is_number(value):
                raise ValueError(value)
            if before is not None and not _is_number(before):
                raise ValueError(before)
            line = ActualLine(row, text_of("id", metric, required=True), month_of(month),
                              float(value), text_of("text", note))  # fmt: skip
            lines.append(line)
            seen[row] = None if before is None else float(before)
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput("rows: not the rows of a preview: upload the file again") from None
    return lines, seen


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
