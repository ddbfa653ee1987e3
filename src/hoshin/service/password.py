"""Changing a password: by its user (who gives the current one) or by an operator (CLI).

Either way every sign-in session and API token of the user ends (whoever knew the old
password may have made them), but the session that made the change, which is renewed.
The audit trail says that the password changed, never what it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hoshin.errors import Forbidden, InvalidInput
from hoshin.service import account, throttle
from hoshin.store import account as store
from hoshin.store.audit import record_event
from hoshin.store.user import UserRow

WRONG_CURRENT = "the current password is wrong"


def change_password(
    session: Session,
    *,
    user_id: int,
    current: str,
    new: str,
    now: datetime,
    client: str,
    session_secret: str | None = None,
) -> str | None:
    """Sets the user's new password after checking the current one; ends their sessions and
    tokens. Returns the secret of the session that replaces ``session_secret`` (None without
    one). A wrong current password counts as a failed sign-in (throttle), so a stolen
    session cannot try passwords faster than the sign-in form; the caller commits even then.
    Raises Forbidden, TooManyAttempts or InvalidInput."""
    user = store.find_user_by_id(session, user_id=user_id)
    if user is None or not user.active:
        raise Forbidden("sign in first")
    throttle.check(session, email=user.email, client=client, now=now)
    if account.verified_user(session, email=user.email, password=current) is None:
        throttle.note_failure(session, email=user.email, client=client, now=now)
        raise Forbidden(WRONG_CURRENT, [{"field": "current", "reason": WRONG_CURRENT}])
    if new == current:
        reason = "the new password is the one you have now: choose another"
        raise InvalidInput(reason, [{"field": "password", "reason": reason}])
    ended = _replace(session, user, new, now, keep=session_secret)
    renewed = None
    if session_secret is not None:  # a new secret: whoever copied the old cookie is out too
        made_by = account.sign_out(session, secret=session_secret)
        renewed = account.new_session(session, user_id=user.id, now=now, sso_org_id=made_by)
    _audit(session, user, actor=user.email, user_id=user.id, origin=client, ended=ended)
    return renewed


def set_password(
    session: Session, *, email: str, password: str, actor: str, origin: str, now: datetime
) -> None:
    """An operator's new password for the user (`hoshin user password`): no current password
    asked; ends every session and token of the user. Raises NotFound or InvalidInput."""
    user = account.get_user(session, email=email)
    ended = _replace(session, user, password, now)
    _audit(session, user, actor=actor, user_id=None, origin=origin, ended=ended)


def _replace(
    session: Session, user: UserRow, password: str, now: datetime, keep: str | None = None
) -> dict[str, int]:
    account.check_password(password, email=user.email, name=user.name)
    user.password_hash = account.password_hash.hash(password)
    ended = account.end_access(session, user_id=user.id, now=now, keep=keep)
    session.flush()
    return ended


def _audit(
    session: Session,
    user: UserRow,
    *,
    actor: str,
    user_id: int | None,
    origin: str,
    ended: dict[str, Any],
) -> None:
    record_event(
        session, org_id=None, actor=actor, entity="user", key=user.email, change="password",
        before=None, after={"password": "changed", **ended}, user_id=user_id, origin=origin,
    )  # fmt: skip
