"""What a page does with a service's refusal: the change is rolled back and the error shown
in place, with the status of its kind (hoshin.errors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from hoshin.errors import HoshinError
from hoshin.web.deps import Db

P = ParamSpec("P")
T = TypeVar("T")
# If-Match's statuses: a page sends the version it read in its form, not in that header.
_IF_MATCH = (412, 428)


def attempt(
    session: Db, work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> T | HoshinError:
    """What ``work(*args, **kwargs)`` returns, or the HoshinError it raised, with
    ``session`` rolled back: nothing of the refused change stays."""
    try:
        return work(*args, **kwargs)
    except HoshinError as error:
        session.rollback()
        return error


def page_status(error: HoshinError) -> int:
    """The status of a page that shows ``error``: its kind's, but a precondition error is
    shown as the kind it is a case of (a stale version is a Conflict: 409), for a page's
    form carries the version it read instead of If-Match."""
    return next(
        kind.status
        for kind in type(error).__mro__
        if issubclass(kind, HoshinError) and kind.status not in _IF_MATCH
    )
