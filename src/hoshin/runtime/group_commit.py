"""Group commit of check-ins: the months' first actuals that a process's requests ask to
record at about the same time are checked and written in one transaction.

Every write to an organisation's plan goes one at a time: SQLite has one writer, and on
PostgreSQL a change holds the organisation's plan-version row until it commits. With one
transaction per check-in, 50 clients recording actuals waited for each other's BEGIN,
statements and COMMIT, and for the threads in between (PUT p95 141-305 ms, BENCHMARKS.md).
Here a request hands what it asks (a CheckIn: who asks, the metric, the month, the value) to
the process's writer thread, with no thread of its own (the API's PUT waits in the event
loop). The writer takes what has come meanwhile and, in one transaction, finds who asks
(once for the check-ins that came with the same credentials), checks each as record_actual
would, writes the new ones with one INSERT, one plan version per organisation and one
statement of audit events, commits, and answers each request. While it writes, the next
batch gathers.

Written here because neither SQLAlchemy nor the databases batch transactions of separate
requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from hoshin.domain.months import Month
from hoshin.errors import HoshinError
from hoshin.runtime.batches import Answer, Batches, tell
from hoshin.runtime.engine import begin_writing
from hoshin.runtime.sessions import changed_meanwhile
from hoshin.service.asker import Asker
from hoshin.service.checkin import Actual, NewActual, new_actual, record_new_actuals
from hoshin.store.metric import metrics_and_actuals

BATCH = 64  # check-ins in one transaction at most

# What the writer answers a check-in: the saved actual; None when the month has an actual
# already (a correction: record_actual decides, in the request); or the error to raise.
Outcome = Actual | None | Exception
CheckedInBy = Callable[[Session], Asker]  # who records a check-in, found on the writer's session


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A month's actual that a request asks to record, sent without If-Match, not checked
    yet. ``recorder`` finds who asks on the writer's session (service.asker.checked_in_by)
    and raises what finding them raises (unknown credentials, not a member); check-ins with
    the same ``recorder_key`` (the same credentials and organisation) have the same recorder
    in one transaction."""

    recorder: CheckedInBy
    recorder_key: Hashable
    metric: str
    period: Month
    value: float
    now: datetime


class NewActuals:
    """The writer of one process's new actuals."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._batches: Batches[tuple[CheckIn, Answer]] = Batches(
            "hoshin-new-actuals", self._answer, BATCH
        )

    async def record_soon(self, check_in: CheckIn) -> Actual | None:
        """Checks and writes ``check_in`` with the others waiting, while this coroutine waits
        in the event loop, without a thread: the actual as saved, or None when the month has
        one already. Raises what record_actual would (NotFound, Forbidden,
        PreconditionRequired when someone created the month first), what the recorder raises,
        or the database's error."""
        done: Answer = asyncio.get_running_loop().create_future()
        self._batches.hand((check_in, done))
        saved: Actual | None = await done
        return saved

    def waiting(self) -> int:
        """How many check-ins wait for their answer now: those being written and the next."""
        return self._batches.waiting()

    def write(self, check_ins: Sequence[CheckIn]) -> list[Outcome]:
        """Checks and writes ``check_ins`` in one transaction. When its COMMIT is refused (on
        PostgreSQL, a metric deleted after the check: its foreign key is deferred), each in
        a transaction of its own, so that only that one fails."""
        try:
            return self._transaction(check_ins)
        except IntegrityError:
            pass
        alone: list[Outcome] = []
        for check_in in check_ins:
            try:
                alone.extend(self._transaction([check_in]))
            except IntegrityError as error:
                alone.append(changed_meanwhile(error))
        return alone

    def _transaction(self, check_ins: Sequence[CheckIn]) -> list[Outcome]:
        with self._sessions() as session:
            begin_writing(session)
            checked = _checked(session, check_ins)
            new = [item for item in checked if isinstance(item, NewActual)]
            saved = iter(record_new_actuals(session, new))
            session.commit()
        return [next(saved) if isinstance(item, NewActual) else item for item in checked]

    def _answer(self, batch: list[tuple[CheckIn, Answer]]) -> None:
        outcomes: Sequence[Outcome]
        try:
            outcomes = self.write([check_in for check_in, _ in batch])
        except Exception as error:  # the database failed: every one of them is told
            outcomes = [error] * len(batch)
        tell(zip((done for _, done in batch), outcomes, strict=True))


Checked = NewActual | HoshinError | None  # what to write, what refuses it, or a correction
Known = dict[tuple[str, int], tuple[str, int | None]]  # store.metric.metrics_and_actuals


def _checked(session: Session, check_ins: Sequence[CheckIn]) -> list[Checked]:
    """Each check-in checked as new_actual checks it: the new actual to write, what refuses
    it, or None when its month has an actual. The recorder is found once per key, the
    metrics and their months' actuals in one query per organisation."""
    recorders: dict[Hashable, Asker | HoshinError] = {}
    for item in check_ins:
        if item.recorder_key not in recorders:
            recorders[item.recorder_key] = _recorder(session, item)
    asked: dict[int, set[tuple[str, int]]] = {}  # by organisation: (metric, month)
    for item in check_ins:
        recorder = recorders[item.recorder_key]
        if not isinstance(recorder, HoshinError):
            asked.setdefault(recorder.org.id, set()).add((item.metric, int(item.period)))
    known = {
        org_id: metrics_and_actuals(session, org_id=org_id, asked=months)
        for org_id, months in asked.items()
    }
    checked: list[Checked] = []
    for item in check_ins:
        recorder = recorders[item.recorder_key]
        if isinstance(recorder, HoshinError):
            checked.append(recorder)
        else:
            checked.append(_new(session, item, recorder, known[recorder.org.id]))
    return checked


def _recorder(session: Session, item: CheckIn) -> Asker | HoshinError:
    try:
        return item.recorder(session)
    except HoshinError as error:
        return error


def _new(session: Session, item: CheckIn, recorder: Asker, known: Known) -> Checked:
    try:
        return new_actual(
            session, org=recorder.org, role=recorder.role, person=recorder.person,
            metric=item.metric, period=item.period, value=item.value, if_match=None,
            who=recorder.who, now=item.now, known=known,
        )  # fmt: skip
    except HoshinError as error:
        return error
