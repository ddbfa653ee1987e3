"""Accounts on SQLite and PostgreSQL: users, roles, sign-in and its rate limit, sessions, tokens."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hoshin.errors import Conflict, Forbidden, InvalidInput, NotFound
from hoshin.service import account
from hoshin.service.account import Principal
from hoshin.store import account as store
from hoshin.store.organization import OrganizationRow, create_organization
from hoshin.store.tables import ApiTokenRow, SessionRow, UserRow
from hoshin.store.user import find_user

PASSWORD = "correct horse"  # 13 characters
NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
CLIENT = "203.0.113.7"


class CountingHasher(Argon2Hasher):
    """Cheap argon2 for tests (the cost is a parameter of each hash), counting verifications."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verifications = 0

    def verify(self, password: str | bytes, hash: str | bytes) -> bool:
        self.verifications += 1
        return super().verify(password, hash)


class CountingHash(PasswordHash):
    """A PasswordHash with one counting hasher."""

    def __init__(self) -> None:
        self.hasher = CountingHasher()
        super().__init__((self.hasher,))

    @property
    def verifications(self) -> int:
        """How many times argon2 verified a password."""
        return self.hasher.verifications


@pytest.fixture(autouse=True)
def cheap_hash(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHash]:
    """Every test but the one on the real cost hashes with a cheap argon2."""
    hasher = CountingHash()
    monkeypatch.setattr(account, "password_hash", hasher)
    yield hasher


def make_user(
    session: Session, *, email: str = "ana@acme.org", password: str = PASSWORD, name: str = "Ana"
) -> UserRow:
    """A committed user."""
    user = account.add_user(
        session,
        email=email,
        password=password,
        name=name,
        person="ana",
        actor="tests",
        origin="tests",
    )
    session.commit()
    return user


def make_org(session: Session, *, slug: str = "acme") -> OrganizationRow:
    """A committed, empty organisation."""
    org = create_organization(session, slug=slug, name=slug.title())
    session.commit()
    return org


def fail_sign_in(
    session: Session, *, email: str = "ana@acme.org", at: datetime, client: str = CLIENT
) -> None:
    """A failed sign-in, committed as the boundary does even when sign_in raises."""
    with pytest.raises(Forbidden) as refused:
        account.sign_in(session, email=email, password="wrong password", now=at, client=client)
    session.commit()
    assert type(refused.value) is Forbidden, "refused by the rate limit, not the password"


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# Users


def test_add_user_lower_cases_the_email_and_stores_an_argon2_hash(session: Session) -> None:
    user = account.add_user(
        session,
        email="  Ana@ACME.org ",
        password=PASSWORD,
        name=" Ana Ruiz ",
        person="p-ana",
        actor="tests",
        origin="tests",
    )
    session.commit()
    assert (user.email, user.name, user.person, user.active) == (
        "ana@acme.org",
        "Ana Ruiz",
        "p-ana",
        True,
    )
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_the_real_hash_is_argon2id_at_the_recommended_cost(
    cheap_hash: CountingHash, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the hasher hoshin ships with
    hashed = account.password_hash.hash(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert cheap_hash.verify(PASSWORD, hashed)  # a hash carries its own cost


def test_a_hash_at_an_old_cost_is_renewed_at_sign_in(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(session)  # hashed at the cheap cost of the tests
    monkeypatch.setattr(
        account, "password_hash", PasswordHash((Argon2Hasher(time_cost=2, memory_cost=2048),))
    )
    account.sign_in(session, email="ana@acme.org", password=PASSWORD, now=NOON, client=CLIENT)
    session.commit()
    stored = session.scalars(select(UserRow.password_hash)).one()
    assert stored.startswith("$argon2id$v=19$m=2048,t=2,p=4$")


def test_an_email_is_taken_whatever_its_case(session: Session) -> None:
    make_user(session, email="ana@acme.org")
    with pytest.raises(Conflict, match=re.escape("a user 'ana@acme.org' exists already")):
        account.add_user(
            session,
            email="ANA@acme.org",
            password="another password",
            actor="tests",
            origin="tests",
        )


@pytest.mark.parametrize(
    "email", ["", "ana", "ana@", "@acme.org", "ana@acme", "ana@@acme.org", "a na@acme.org"]
)
def test_a_malformed_email_is_refused(session: Session, email: str) -> None:
    with pytest.raises(InvalidInput, match="is not an email address"):
        account.add_user(session, email=email, password=PASSWORD, actor="tests", origin="tests")


# The password rule (account.check_password), every door's: what zxcvbn 4.5 says of each.
REFUSED_PASSWORDS = [
    ("123456789", "a password needs at least 10 characters"),
    ("aaaaaaaaaa", 'too easy to guess: Repeats like "aaa" are easy to guess.'),
    ("1234567890", "too easy to guess: This is a top-100 common password."),
    (" " * 10, 'too easy to guess: Repeats like "aaa" are easy to guess.'),
    ("ana@acme.org", "too easy to guess: It contains your email or name."),
    ("password123", "too easy to guess: This is a very common password."),
    ("qwertyuiop", "too easy to guess: This is a top-100 common password."),
    ("correct horse\x00", "the password contains the control character U+0000"),
]


@pytest.mark.parametrize(("password", "reason"), REFUSED_PASSWORDS)
def test_a_weak_password_is_refused_with_the_reason(
    session: Session, password: str, reason: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(reason)) as refused:
        account.add_user(
            session, email="ana@acme.org", password=password, actor="tests", origin="tests"
        )
    assert refused.value.detail == [{"field": "password", "reason": refused.value.message}]
    assert find_user(session, email="ana@acme.org") is None


@pytest.mark.parametrize(
    "password", ["correct horse", "a good initial password", "Tr0ub4dor&3", "x" * 9 + "Qz7#" * 30]
)
def test_a_hard_to_guess_password_is_taken(password: str) -> None:
    # "x"*9 + "Qz7#"*30: 129 characters; zxcvbn judges the first 72 (9 x's, 15.75 repeats).
    assert account.password_problem(password, email="ana@acme.org", name="Ana") is None


def test_the_email_and_name_are_known_to_the_rule() -> None:
    # Made-up words no dictionary holds score 4; once they are the user's name or email,
    # zxcvbn finds them among the user's inputs and the score drops below 3.
    assert account.password_problem("zorblattquexington", email="bo@x.org") is None
    assert account.password_problem("zorblatt@quex.org", email="bo@x.org") is None
    named = account.password_problem(
        "zorblattquexington", email="bo@x.org", name="Zorblatt Quexington"
    )
    own_email = account.password_problem("zorblatt@quex.org", email="zorblatt@quex.org")
    reason = "the password is too easy to guess: It contains your email or name."
    assert named is not None and named.startswith(reason)
    assert own_email is not None and own_email.startswith(reason)


def test_every_common_password_of_ten_characters_is_refused() -> None:
    """zxcvbn's list of the 30,000 most common passwords: each of the 1,090 with 10 or more
    characters is refused (by its score, or by the list itself)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    long_ones = [p for p in FREQUENCY_LISTS["passwords"] if len(p) >= 10]
    assert len(long_ones) == 1090
    assert all(account.password_problem(p, email="a@b.org") for p in long_ones)


# Roles


def test_set_role_creates_then_updates_the_membership(session: Session) -> None:
    user, acme, other = make_user(session), make_org(session), make_org(session, slug="other")
    created = account.set_role(
        session, email="ANA@acme.org", org_slug="acme", role="viewer", actor="tests", origin="tests"
    )
    session.commit()
    updated = account.set_role(
        session, email="ana@acme.org", org_slug="acme", role="editor", actor="tests", origin="tests"
    )
    session.commit()
    assert updated.id == created.id
    member = store.find_membership(session, user_id=user.id, org_id=acme.id)
    assert member is not None and member.role == "editor"
    assert store.find_membership(session, user_id=user.id, org_id=other.id) is None


def test_set_role_refuses_an_unknown_role_user_or_organisation(session: Session) -> None:
    make_user(session)
    make_org(session)
    with pytest.raises(InvalidInput, match="'owner' is not a role: use one of admin, editor"):
        account.set_role(
            session,
            email="ana@acme.org",
            org_slug="acme",
            role="owner",
            actor="tests",
            origin="tests",
        )
    with pytest.raises(NotFound, match=re.escape("no user 'bob@acme.org'")):
        account.set_role(
            session,
            email="bob@acme.org",
            org_slug="acme",
            role="viewer",
            actor="tests",
            origin="tests",
        )
    with pytest.raises(NotFound, match="no organisation 'nobody'"):
        account.set_role(
            session,
            email="ana@acme.org",
            org_slug="nobody",
            role="viewer",
            actor="tests",
            origin="tests",
        )


# Sign-in and sessions


def test_sign_in_gives_the_principal_and_a_session_for_fourteen_days(session: Session) -> None:
    user = make_user(session)
    principal, secret = account.sign_in(
        session, email="Ana@Acme.org", password=PASSWORD, now=NOON, client=CLIENT
    )
    session.commit()
    assert principal == Principal(
        user_id=user.id, email="ana@acme.org", name="Ana", person="ana", by_session=True
    )
    assert len(secret) >= 43  # 32 random bytes in URL-safe base64
    row = session.scalars(select(SessionRow)).one()
    assert row.token_hash == sha256(secret) and row.token_hash != secret
    # 2026-11-22 12:00 + 14 days = 2026-12-06 12:00
    assert row.expires_at == datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    last_second = datetime(2026, 12, 6, 11, 59, 59, tzinfo=UTC)
    assert account.session_principal(session, secret=secret, now=last_second) == principal
    assert account.session_principal(session, secret=secret, now=row.expires_at) is None
    assert account.session_principal(session, secret="made-up", now=NOON) is None


def test_a_wrong_password_and_an_unknown_email_read_the_same(
    session: Session, cheap_hash: CountingHash
) -> None:
    make_user(session)
    messages = []
    for email, password in [("ana@acme.org", "wrong password"), ("bob@acme.org", PASSWORD)]:
        before = cheap_hash.verifications
        with pytest.raises(Forbidden) as refused:
            account.sign_in(session, email=email, password=password, now=NOON, client=CLIENT)
        assert cheap_hash.verifications == before + 1  # argon2 ran for the unknown email too
        messages.append(refused.value.message)
    assert messages == ["wrong email or password", "wrong email or password"]


def test_an_inactive_user_cannot_sign_in_and_loses_their_sessions(session: Session) -> None:
    user = make_user(session)
    _, secret = account.sign_in(
        session, email="ana@acme.org", password=PASSWORD, now=NOON, client=CLIENT
    )
    user.active = False
    session.commit()
    assert account.session_principal(session, secret=secret, now=NOON) is None
    with pytest.raises(Forbidden, match="wrong email or password"):
        account.sign_in(session, email="ana@acme.org", password=PASSWORD, now=NOON, client=CLIENT)


def test_sign_out_ends_the_session(session: Session) -> None:
    make_user(session)
    _, secret = account.sign_in(
        session, email="ana@acme.org", password=PASSWORD, now=NOON, client=CLIENT
    )
    _, other = account.sign_in(
        session, email="ana@acme.org", password=PASSWORD, now=NOON, client="198.51.100.1"
    )
    session.commit()
    account.sign_out(session, secret=secret)
    account.sign_out(session, secret="never issued")  # nothing to end: no error
    session.commit()
    assert account.session_principal(session, secret=secret, now=NOON) is None
    assert account.session_principal(session, secret=other, now=NOON) is not None


def test_expired_sessions_are_deleted_at_the_next_sign_in(session: Session) -> None:
    make_user(session)
    account.sign_in(session, email="ana@acme.org", password=PASSWORD, now=NOON, client=CLIENT)
    later = NOON + timedelta(days=15)
    account.sign_in(session, email="ana@acme.org", password=PASSWORD, now=later, client=CLIENT)
    session.commit()
    assert [row.created_at for row in session.scalars(select(SessionRow))] == [later]


# API tokens


def test_a_token_is_shown_once_and_only_its_hash_is_stored(session: Session) -> None:
    user = make_user(session)
    token = account.create_token(
        session, email="ana@acme.org", name=" ci ", now=NOON, actor="tests", origin="tests"
    )
    session.commit()
    assert token.startswith("hsn_") and len(token) >= 4 + 43
    stored = session.execute(text("SELECT * FROM api_tokens")).one()
    assert all(token not in str(value) for value in stored)
    row = session.scalars(select(ApiTokenRow)).one()
    assert (row.user_id, row.name, row.token_hash, row.created_at) == (
        user.id,
        "ci",
        sha256(token),
        NOON,
    )
    assert account.token_principal(session, token=token, now=NOON) == Principal(
        user_id=user.id, email="ana@acme.org", name="Ana", person="ana"
    )
    assert account.token_principal(session, token="hsn_made-up", now=NOON) is None


def test_using_a_token_notes_when_at_a_minute_resolution(session: Session) -> None:
    make_user(session)
    token = account.create_token(
        session, email="ana@acme.org", name="ci", now=NOON, actor="tests", origin="tests"
    )
    row = session.scalars(select(ApiTokenRow)).one()
    assert row.last_used_at is None
    used = [NOON, NOON + timedelta(seconds=59), NOON + timedelta(minutes=1)]
    noted = []
    for at in used:
        assert account.token_principal(session, token=token, now=at) is not None
        session.commit()
        session.expire_all()
        noted.append(session.scalars(select(ApiTokenRow.last_used_at)).one())
    assert noted == [NOON, NOON, NOON + timedelta(minutes=1)]


def test_a_token_comes_with_the_role_in_the_organisation_asked_for(session: Session) -> None:
    """token_member: the API's one query for who is asking and their role in the path's
    organisation. Ana is an editor of acme and no member of globex; there is no initech."""
    user = make_user(session)
    acme, globex = make_org(session), make_org(session, slug="globex")
    account.set_role(
        session, email="ana@acme.org", org_slug="acme", role="editor", actor="tests", origin="tests"
    )
    token = account.create_token(
        session, email="ana@acme.org", name="ci", now=NOON, actor="tests", origin="tests"
    )
    session.commit()
    ana = Principal(user_id=user.id, email="ana@acme.org", name="Ana", person="ana")
    found = account.token_member(session, token=token, slug="acme", now=NOON)
    assert found is not None and found[:2] == (ana, True)  # never used: its use is due
    assert found[2] is not None and (found[2][0].id, found[2][1]) == (acme.id, "editor")
    assert globex.id != acme.id
    assert account.token_member(session, token=token, slug="globex", now=NOON) == (ana, True, None)
    assert account.token_member(session, token=token, slug="initech", now=NOON) == (
        ana, True, None,
    )  # fmt: skip
    assert account.token_member(session, token="hsn_made-up", slug="acme", now=NOON) is None
    account.revoke_token(session, token_id=account.list_tokens(session, email="ana@acme.org")[0].id,
                         now=NOON, actor="tests", origin="tests")  # fmt: skip
    session.commit()
    assert account.token_member(session, token=token, slug="acme", now=NOON) is None


def test_a_revoked_token_is_refused_but_stays_listed(session: Session) -> None:
    make_user(session)
    first = account.create_token(
        session, email="ana@acme.org", name="ci", now=NOON, actor="tests", origin="tests"
    )
    second = account.create_token(
        session, email="ana@acme.org", name="backup", now=NOON, actor="tests", origin="tests"
    )
    session.commit()
    ci, _ = account.list_tokens(session, email="ana@acme.org")
    revoked_at = NOON + timedelta(hours=1)
    account.revoke_token(session, token_id=ci.id, now=revoked_at, actor="tests", origin="tests")
    account.revoke_token(
        session, token_id=ci.id, now=revoked_at + timedelta(hours=1), actor="tests", origin="tests"
    )
    session.commit()
    assert account.token_principal(session, token=first, now=revoked_at) is None
    assert account.token_principal(session, token=second, now=revoked_at) is not None
    listed = account.list_tokens(session, email="ana@acme.org")
    assert [(t.name, t.revoked_at) for t in listed] == [("ci", revoked_at), ("backup", None)]


def test_revoking_without_a_time_takes_the_database_clock(session: Session) -> None:
    make_user(session)
    token = account.create_token(
        session, email="ana@acme.org", name="ci", now=NOON, actor="tests", origin="tests"
    )
    session.commit()
    (row,) = account.list_tokens(session, email="ana@acme.org")
    account.revoke_token(session, token_id=row.id, actor="tests", origin="tests")
    session.commit()
    session.expire_all()
    revoked_at = session.scalars(select(ApiTokenRow.revoked_at)).one()
    assert revoked_at is not None and revoked_at.tzinfo is not None
    assert abs(revoked_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert account.token_principal(session, token=token, now=NOON) is None


def test_a_token_of_an_inactive_user_is_refused(session: Session) -> None:
    user = make_user(session)
    token = account.create_token(
        session, email="ana@acme.org", name="ci", now=NOON, actor="tests", origin="tests"
    )
    user.active = False
    session.commit()
    assert account.token_principal(session, token=token, now=NOON) is None


def test_tokens_of_an_unknown_user_or_id_are_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match=re.escape("no user 'bob@acme.org'")):
        account.create_token(
            session, email="bob@acme.org", name="ci", now=NOON, actor="tests", origin="tests"
        )
    with pytest.raises(NotFound, match=re.escape("no user 'bob@acme.org'")):
        account.list_tokens(session, email="bob@acme.org")
    with pytest.raises(NotFound, match="no API token 42"):
        account.revoke_token(session, token_id=42, now=NOON, actor="tests", origin="tests")
