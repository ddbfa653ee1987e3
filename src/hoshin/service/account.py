"""Accounts: users and their roles, the password rule (service.password_rule), sign-in
(throttled: service.throttle), sessions and API tokens.

Secrets (session cookies, API tokens) are random and shown once; the database keeps only
their SHA-256, and passwords only as argon2 hashes. Nothing here commits or reads the clock:
the caller passes ``now`` and commits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import func
from sqlalchemy.orm import Session

from hoshin.domain.text import text_problem
from hoshin.errors import Conflict, Forbidden, InvalidInput, NotFound
from hoshin.fields import checked_text
from hoshin.service import throttle
from hoshin.service.password_rule import check_password as check_password  # the doors' name
from hoshin.service.password_rule import password_problem as password_problem
from hoshin.service.policy import ADMIN, ROLES
from hoshin.store import account as store
from hoshin.store.audit import record_event
from hoshin.store.organization import OrganizationRow, get_organization
from hoshin.store.user import ApiTokenRow, MembershipRow, SessionRow, UserRow, find_user

SESSION_LIFETIME = timedelta(days=14)
TOKEN_PREFIX = "hsn_"
# last_used_at is written at most once a minute per token, not on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
WRONG = "wrong email or password"
SESSION_COOKIE = "hoshin_session"  # the sign-in session's cookie, for the API and the pages
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")

# Argon2id with the library's recommended cost (64 MiB, 3 passes); tests may swap it.
password_hash = PasswordHash((Argon2Hasher(),))


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in user or the owner of an API token."""

    user_id: int
    email: str
    name: str
    person: str | None
    by_session: bool = False  # signed in with a session cookie (not an API token)
    sso_org_id: int | None = None  # whose identity provider made the session; None: password


def add_user(
    session: Session,
    *,
    email: str,
    password: str,
    actor: str,
    origin: str | None,
    name: str = "",
    person: str | None = None,
    actor_id: int | None = None,
) -> UserRow:
    """A new user with an argon2 hash of the password, an audit event of no organisation
    (``actor`` from ``origin``); raises Conflict when the email exists."""
    email = check_email(email)
    name = checked_text(name, "line", "name")
    check_password(password, email=email, name=name)
    # Hashed before the first query: on SQLite that query takes the writers' lock, which
    # argon2's second of work would otherwise hold from every other writer.
    hashed = password_hash.hash(password)
    if find_user(session, email=email) is not None:
        raise Conflict(f"a user '{email}' exists already")
    row = UserRow(
        email=email,
        password_hash=hashed,
        name=name,
        person=person or None,
    )
    session.add(row)
    session.flush()
    record_event(
        session, org_id=None, actor=actor, entity="user", key=row.email, change="create",
        after=_user_state(row), user_id=actor_id, origin=origin,
    )  # fmt: skip
    return row


def check_email(email: str) -> str:
    """The email as stored (normal_email); InvalidInput (field ``email``) if it is none."""
    email = normal_email(email)
    problem = text_problem(email, "email")
    if problem is not None or not EMAIL.fullmatch(email):
        reason = f"the email {problem}" if problem else f"'{email}' is not an email address"
        raise InvalidInput(reason, [{"field": "email", "reason": reason}])
    return email


def set_role(
    session: Session,
    *,
    email: str,
    org_slug: str,
    role: str,
    actor: str,
    origin: str | None,
    actor_id: int | None = None,
) -> MembershipRow:
    """Gives the user this role in the organisation, creating or updating the membership,
    with an audit event of the organisation (none when the role stays the same)."""
    if role not in ROLES:
        raise InvalidInput(f"'{role}' is not a role: use one of {', '.join(ROLES)}")
    user = get_user(session, email=email)
    org = get_organization(session, slug=org_slug)
    membership = store.find_membership(session, user_id=user.id, org_id=org.id)
    before = None if membership is None else membership.role
    if membership is None:
        membership = MembershipRow(user_id=user.id, org_id=org.id, role=role)
        session.add(membership)
    else:
        membership.role = role
    session.flush()
    if before != role:
        record_event(
            session, org_id=org.id, actor=actor, entity="member", key=user.email,
            change="create" if before is None else "update",
            before=None if before is None else _member_state(user, before),
            after=_member_state(user, role), user_id=actor_id, origin=origin,
        )  # fmt: skip
    return membership


def _user_state(user: UserRow) -> dict[str, str | None]:
    """A user as the audit trail keeps them (never a password or its hash)."""
    return {"email": user.email, "name": user.name, "person": user.person}


def _member_state(user: UserRow, role: str) -> dict[str, str | None]:
    """A membership as service.member's events keep it."""
    return {**_user_state(user), "role": role}


def get_user(session: Session, *, email: str) -> UserRow:
    """The user with this email; raises NotFound."""
    user = find_user(session, email=normal_email(email))
    if user is None:
        raise NotFound(f"no user '{normal_email(email)}'")
    return user


def sign_in(
    session: Session, *, email: str, password: str, now: datetime, client: str
) -> tuple[Principal, str]:
    """The principal and a new session secret; raises Forbidden, or TooManyAttempts.

    A failure is recorded in ``session`` before Forbidden is raised: the caller commits
    it even then, or the throttle does not count it.
    """
    email = normal_email(email)
    throttle.check(session, email=email, client=client, now=now)
    user = verified_user(session, email=email, password=password)
    # A deactivated account reads like a wrong password: the answer tells an outsider nothing.
    if user is None or not user.active:
        throttle.note_failure(session, email=email, client=client, now=now)
        raise Forbidden(WRONG)
    throttle.note_success(session, email=email, client=client, now=now)
    store.delete_expired_sessions(session, user_id=user.id, now=now)
    return _principal(user, by_session=True), new_session(session, user_id=user.id, now=now)


def verified_user(session: Session, *, email: str, password: str) -> UserRow | None:
    """The user with this email if the password is theirs, else None. An unknown email
    costs the same argon2 verification, so the time taken does not tell."""
    user = find_user(session, email=email) if len(email) <= store.EMAIL_LENGTH else None
    stored = user.password_hash if user is not None else _dummy_hash(password_hash)
    try:
        valid, rehashed = password_hash.verify_and_update(password, stored)
    except UnknownHashError:  # a user without a usable password cannot sign in
        valid, rehashed = False, None
    if user is None or not valid:
        return None
    if rehashed is not None:  # the cost parameters changed since this hash was made
        user.password_hash = rehashed
    return user


def new_session(
    session: Session, *, user_id: int, now: datetime, sso_org_id: int | None = None
) -> str:
    """A new sign-in session for the user (made by ``sso_org_id``'s identity provider, or
    by password); returns its secret (the cookie's value)."""
    secret = secrets.token_urlsafe(32)
    session.add(
        SessionRow(
            user_id=user_id,
            token_hash=_sha256(secret),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
            sso_org_id=sso_org_id,
        )
    )
    session.flush()
    return secret


def end_access(
    session: Session, *, user_id: int, now: datetime, keep: str | None = None
) -> dict[str, int]:
    """Ends every sign-in session of the user (but the one whose secret is ``keep``) and
    revokes every API token; returns how many of each, for the audit trail."""
    kept = None if keep is None else _sha256(keep)
    ended = store.delete_user_sessions(session, user_id=user_id, keep=kept)
    revoked = store.revoke_user_tokens(session, user_id=user_id, at=now)
    return {"sessions_ended": ended, "tokens_revoked": revoked}


def session_principal(session: Session, *, secret: str, now: datetime) -> Principal | None:
    """The user of a valid, unexpired sign-in session, if they are active; else None."""
    row = store.find_session(session, token_hash=_sha256(secret))
    if row is None or row.expires_at <= now:
        return None
    user = store.find_user_by_id(session, user_id=row.user_id)
    if user is None or not user.active:
        return None
    return _principal(user, by_session=True, sso_org_id=row.sso_org_id)


def sign_out(session: Session, *, secret: str) -> int | None:
    """Ends the sign-in session with this secret (nothing happens if there is none); returns
    the organisation whose identity provider made it, if one did (service.sso ends the
    provider's session too)."""
    row = store.find_session(session, token_hash=_sha256(secret))
    if row is None:
        return None
    store.delete_session(session, token_hash=row.token_hash)
    return row.sso_org_id


def check_sign_in_method(principal: Principal, org: OrganizationRow, role: str) -> None:
    """Raises Forbidden when the organisation takes only its identity provider's sign-ins
    and this session was made otherwise (a password, another organisation's provider).
    Its admins keep their password, to get in when the provider is down; API tokens are
    made by members who signed in, and stay valid."""
    if org.password_sign_in or not principal.by_session or role == ADMIN:
        return
    if principal.sso_org_id != org.id:
        raise Forbidden(
            f"{org.name} signs its members in through its identity provider: sign out, then "
            "sign in with single sign-on"
        )


def create_token(
    session: Session,
    *,
    email: str,
    name: str,
    now: datetime,
    actor: str,
    origin: str | None,
    actor_id: int | None = None,
) -> str:
    """A new API token for the user, returned this once: only its SHA-256 is stored, and
    its audit event (of no organisation) names it by its id, never its secret."""
    name = checked_text(name, "line", "name")
    user = get_user(session, email=email)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiTokenRow(user_id=user.id, name=name, token_hash=_sha256(token), created_at=now)
    session.add(row)
    session.flush()
    record_event(
        session, org_id=None, actor=actor, entity="token", key=str(row.id), change="create",
        after={"name": row.name, "user": user.email}, user_id=actor_id, origin=origin,
    )  # fmt: skip
    return token


def token_principal(session: Session, *, token: str, now: datetime) -> Principal | None:
    """The user of a valid API token, if they are active; else None. Notes when it was used."""
    found = token_user(session, token=token, now=now)
    if found is None:
        return None
    if found[1]:
        note_token_use(session, token=token, now=now)
    return found[0]


def token_user(session: Session, *, token: str, now: datetime) -> tuple[Principal, bool] | None:
    """The user of a valid API token, and whether its use is due to be noted (once a
    minute); None for an unknown or revoked token or an inactive user. Writes nothing."""
    found = store.find_token_and_user(session, token_hash=_sha256(token))
    if found is None:
        return None
    row, user = found
    return _valid_token(row, user, now)


def token_member(
    session: Session, *, token: str, slug: str, now: datetime
) -> tuple[Principal, bool, tuple[OrganizationRow, str] | None] | None:
    """token_user's answer and, in the same query, the organisation with this slug and the
    user's role in it (None unless they are a member)."""
    found = store.find_token_and_member(session, token_hash=_sha256(token), slug=slug)
    if found is None:
        return None
    row, user, org, role = found
    valid = _valid_token(row, user, now)
    if valid is None:
        return None
    return valid[0], valid[1], None if org is None or role is None else (org, role)


def _valid_token(row: ApiTokenRow, user: UserRow, now: datetime) -> tuple[Principal, bool] | None:
    if row.revoked_at is not None or not user.active:
        return None
    due = row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_RESOLUTION
    return _principal(user), due


def note_token_use(session: Session, *, token: str, now: datetime) -> None:
    """Notes that the token was used ``now``."""
    row = store.find_token(session, token_hash=_sha256(token))
    if row is not None:
        row.last_used_at = now
        session.flush()


class TokenUses:
    """Which process thread notes a token's use: the first request of a minute that finds
    the note due claims it, and the requests that arrive meanwhile (they read the same
    old ``last_used_at``) leave it to that one. Without the claim, 50 clients on one token
    all wrote the note at once, each on a second connection while holding their own: the
    connection pool ran dry and the process stalled until its 30 s pool timeout."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claimed: dict[str, datetime] = {}

    def claim(self, token: str, now: datetime) -> bool:
        """True once per token and TOKEN_USE_RESOLUTION in this process."""
        key = _sha256(token)
        with self._lock:
            last = self._claimed.get(key)
            if last is not None and now - last < TOKEN_USE_RESOLUTION:
                return False
            self._claimed[key] = now
            return True


def revoke_token(
    session: Session,
    *,
    token_id: int,
    actor: str,
    origin: str | None,
    now: datetime | None = None,
    actor_id: int | None = None,
) -> None:
    """Revokes the API token with this id (it stays listed), with an audit event of no
    organisation; raises NotFound.

    Revoking a revoked token changes nothing. Without ``now`` the database's clock dates it.
    """
    row = store.find_token_by_id(session, token_id=token_id)
    if row is None:
        raise NotFound(f"no API token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = func.now() if now is None else now
        session.flush()
        owner = store.find_user_by_id(session, user_id=row.user_id)
        state = {"name": row.name, "user": None if owner is None else owner.email}
        record_event(
            session, org_id=None, actor=actor, entity="token", key=str(row.id),
            change="revoke", before={**state, "revoked": False},
            after={**state, "revoked": True}, user_id=actor_id, origin=origin,
        )  # fmt: skip


def list_tokens(session: Session, *, email: str) -> list[ApiTokenRow]:
    """The user's API tokens, revoked ones included, oldest first; raises NotFound."""
    return store.list_user_tokens(session, user_id=get_user(session, email=email).id)


def normal_email(email: str) -> str:
    """The email as it is stored: without surrounding spaces, lower-case."""
    return email.strip().lower()


@cache
def _dummy_hash(hasher: PasswordHash) -> str:
    """A hash of a random password, made with the current cost parameters."""
    return hasher.hash(secrets.token_urlsafe(16))


def secret_hash(secret: str) -> str:
    """The SHA-256 of a secret (a session's, a token's, an invitation's), as stored."""
    return _sha256(secret)


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _principal(
    user: UserRow, *, by_session: bool = False, sso_org_id: int | None = None
) -> Principal:
    return Principal(
        user_id=user.id, email=user.email, name=user.name, person=user.person,
        by_session=by_session, sso_org_id=sso_org_id,
    )  # fmt: skip
