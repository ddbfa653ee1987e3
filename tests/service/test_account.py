"""Accounts on SQLite and PostgreSQL: users, roles, sign-in and its rate limit, sessions, tokens."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from hoshin.errors import Conflict, Forbidden, InvalidInput, NotFound
from hoshin.service import account
from hoshin.service.account import Principal, TooManyAttempts
from hoshin.store import account as store
from hoshin.store.db import session_factory
from hoshin.store.organization import OrganizationRow, create_organization
from hoshin.store.tables import ApiTokenRow, SessionRow, SignInAttemptRow, UserRow

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
    user = account.add_user(session, email=email, password=password, name=name, person="ana")
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
        session, email="  Ana@ACME.org ", password=PASSWORD, name=" Ana Ruiz ", person="p-ana"
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
        account.add_user(session, email="ANA@acme.org", password="another password")


@pytest.mark.parametrize(
    "email", ["", "ana", "ana@", "@acme.org", "ana@acme", "ana@@acme.org", "a na@acme.org"]
)
def test_a_malformed_email_is_refused(session: Session, email: str) -> None:
    with pytest.raises(InvalidInput, match="is not an email address"):
        account.add_user(session, email=email, password=PASSWORD)


def test_a_password_needs_ten_characters(session: Session) -> None:
    with pytest.raises(InvalidInput, match="a password needs at least 10 characters"):
        account.add_user(session, email="ana@acme.org", password="123456789")
    assert account.add_user(session, email="ana@acme.org", password="1234567890").id > 0


# Roles


def test_set_role_creates_then_updates_the_membership(session: Session) -> None:
    user, acme, other = make_user(session), make_org(session), make_org(session, slug="other")
    created = account.set_role(session, email="ANA@acme.org", org_slug="acme", role="viewer")
    session.commit()
    updated = account.set_role(session, email="ana@acme.org", org_slug="acme", role="editor")
    session.commit()
    assert updated.id == created.id
    member = store.find_membership(session, user_id=user.id, org_id=acme.id)
    assert member is not None and member.role == "editor"
    assert store.find_membership(session, user_id=user.id, org_id=other.id) is None


def test_set_role_refuses_an_unknown_role_user_or_organisation(session: Session) -> None:
    make_user(session)
    make_org(session)
    with pytest.raises(InvalidInput, match="'owner' is not a role: use one of admin, editor"):
        account.set_role(session, email="ana@acme.org", org_slug="acme", role="owner")
    with pytest.raises(NotFound, match=re.escape("no user 'bob@acme.org'")):
        account.set_role(session, email="bob@acme.org", org_slug="acme", role="viewer")
    with pytest.raises(NotFound, match="no organisation 'nobody'"):
        account.set_role(session, email="ana@acme.org", org_slug="nobody", role="viewer")


# Sign-in and sessions


def test_sign_in_gives_the_principal_and_a_session_for_fourteen_days(session: Session) -> None:
    user = make_user(session)
    principal, secret = account.sign_in(
        session, email="Ana@Acme.org", password=PASSWORD, now=NOON, client=CLIENT
    )
    session.commit()
    assert principal == Principal(user_id=user.id, email="ana@acme.org", name="Ana", person="ana")
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


# The rate limit: 5 failures per email and per client in 15 minutes


def test_the_sixth_attempt_in_fifteen_minutes_is_refused_until_the_first_leaves(
    session: Session,
) -> None:
    make_user(session)
    for minute in range(5):  # failures at 12:00, 12:01, 12:02, 12:03, 12:04
        fail_sign_in(session, at=NOON + timedelta(minutes=minute))
    with pytest.raises(TooManyAttempts) as refused:  # even with the right password
        account.sign_in(
            session,
            email="ana@acme.org",
            password=PASSWORD,
            now=NOON + timedelta(minutes=5),
            client="198.51.100.1",
        )
    # The 12:00 failure counts until 12:15: at 12:05 that is 600 seconds away.
    assert isinstance(refused.value, Forbidden)
    assert refused.value.detail == 600
    assert refused.value.message == "too many failed sign-ins: try again in 10 minutes"
    # At 12:14:59 it still counts (1 second to go); at 12:15 four failures are left.
    with pytest.raises(TooManyAttempts) as refused:
        account.sign_in(
            session,
            email="ana@acme.org",
            password=PASSWORD,
            now=NOON + timedelta(minutes=14, seconds=59),
            client=CLIENT,
        )
    assert (refused.value.detail, refused.value.message) == (
        1,
        "too many failed sign-ins: try again in 1 seconds",
    )
    principal, _ = account.sign_in(
        session,
        email="ana@acme.org",
        password=PASSWORD,
        now=NOON + timedelta(minutes=15),
        client=CLIENT,
    )
    assert principal.email == "ana@acme.org"


def test_refused_attempts_do_not_extend_the_lock(session: Session) -> None:
    make_user(session)
    for minute in range(5):
        fail_sign_in(session, at=NOON + timedelta(minutes=minute))
    for minute in range(5, 15):  # one refused attempt a minute, 12:05 to 12:14
        with pytest.raises(TooManyAttempts):
            account.sign_in(
                session,
                email="ana@acme.org",
                password="wrong password",
                now=NOON + timedelta(minutes=minute),
                client=CLIENT,
            )
        session.commit()
    assert session.scalar(select(func.count()).select_from(SignInAttemptRow)) == 5
    fail_sign_in(session, at=NOON + timedelta(minutes=15))  # a 5th in the window, not refused


def test_failures_of_an_unknown_email_count_too(session: Session) -> None:
    for minute in range(5):
        fail_sign_in(session, email="nobody@acme.org", at=NOON + timedelta(minutes=minute))
    with pytest.raises(TooManyAttempts):
        account.sign_in(
            session,
            email="NOBODY@acme.org",
            password="anything",
            now=NOON + timedelta(minutes=6),
            client="198.51.100.1",
        )


def test_one_client_failing_on_five_emails_is_refused_on_a_sixth(session: Session) -> None:
    make_user(session, email="ana@acme.org")
    for number in range(5):  # 12:00 to 12:04, five different emails from one address
        fail_sign_in(session, email=f"user{number}@acme.org", at=NOON + timedelta(minutes=number))
    at = NOON + timedelta(minutes=10)
    with pytest.raises(TooManyAttempts) as refused:
        account.sign_in(session, email="ana@acme.org", password=PASSWORD, now=at, client=CLIENT)
    assert refused.value.detail == 300  # the 12:00 failure leaves at 12:15
    principal, _ = account.sign_in(
        session, email="ana@acme.org", password=PASSWORD, now=at, client="198.51.100.1"
    )
    assert principal.email == "ana@acme.org"


def test_a_success_clears_the_failures_of_that_email(session: Session) -> None:
    make_user(session)
    for minute in range(4):
        fail_sign_in(session, at=NOON + timedelta(minutes=minute), client=f"10.0.0.{minute}")
    account.sign_in(
        session,
        email="ana@acme.org",
        password=PASSWORD,
        now=NOON + timedelta(minutes=4),
        client="10.0.0.9",
    )
    session.commit()
    for minute in range(5, 10):  # five fresh failures are allowed, the sixth is not
        fail_sign_in(session, at=NOON + timedelta(minutes=minute), client=f"10.0.1.{minute}")
    with pytest.raises(TooManyAttempts):
        account.sign_in(
            session,
            email="ana@acme.org",
            password=PASSWORD,
            now=NOON + timedelta(minutes=10),
            client="10.0.2.1",
        )


def test_racing_failures_beyond_the_limit_leave_the_window_in_order(session: Session) -> None:
    # Two processes may both record a failure after counting four: six in the window.
    for minute in range(6):  # 12:00 to 12:05
        store.add_failure(
            session,
            email="ana@acme.org",
            client=f"10.0.0.{minute}",
            at=NOON + timedelta(minutes=minute),
        )
    session.commit()
    with pytest.raises(TooManyAttempts) as refused:
        account.sign_in(
            session,
            email="ana@acme.org",
            password=PASSWORD,
            now=NOON + timedelta(minutes=6),
            client=CLIENT,
        )
    # Under five again when 12:01 leaves the window, at 12:16: 600 seconds after 12:06.
    assert refused.value.detail == 600


def test_old_failures_are_pruned(session: Session) -> None:
    fail_sign_in(session, email="old@acme.org", at=NOON)
    fail_sign_in(session, email="new@acme.org", at=NOON + timedelta(minutes=15))
    emails = list(session.scalars(select(SignInAttemptRow.email)))
    assert emails == ["new@acme.org"]


def test_processes_share_the_count_through_the_database(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as first:
        make_user(first)
        for minute in range(5):
            fail_sign_in(first, at=NOON + timedelta(minutes=minute))
    with sessions() as second, pytest.raises(TooManyAttempts):
        account.sign_in(
            second,
            email="ana@acme.org",
            password=PASSWORD,
            now=NOON + timedelta(minutes=5),
            client="198.51.100.1",
        )


# API tokens


def test_a_token_is_shown_once_and_only_its_hash_is_stored(session: Session) -> None:
    user = make_user(session)
    token = account.create_token(session, email="ana@acme.org", name=" ci ", now=NOON)
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
    token = account.create_token(session, email="ana@acme.org", name="ci", now=NOON)
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
    account.set_role(session, email="ana@acme.org", org_slug="acme", role="editor")
    token = account.create_token(session, email="ana@acme.org", name="ci", now=NOON)
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
                         now=NOON)  # fmt: skip
    session.commit()
    assert account.token_member(session, token=token, slug="acme", now=NOON) is None


def test_a_revoked_token_is_refused_but_stays_listed(session: Session) -> None:
    make_user(session)
    first = account.create_token(session, email="ana@acme.org", name="ci", now=NOON)
    second = account.create_token(session, email="ana@acme.org", name="backup", now=NOON)
    session.commit()
    ci, _ = account.list_tokens(session, email="ana@acme.org")
    revoked_at = NOON + timedelta(hours=1)
    account.revoke_token(session, token_id=ci.id, now=revoked_at)
    account.revoke_token(session, token_id=ci.id, now=revoked_at + timedelta(hours=1))
    session.commit()
    assert account.token_principal(session, token=first, now=revoked_at) is None
    assert account.token_principal(session, token=second, now=revoked_at) is not None
    listed = account.list_tokens(session, email="ana@acme.org")
    assert [(t.name, t.revoked_at) for t in listed] == [("ci", revoked_at), ("backup", None)]


def test_revoking_without_a_time_takes_the_database_clock(session: Session) -> None:
    make_user(session)
    token = account.create_token(session, email="ana@acme.org", name="ci", now=NOON)
    session.commit()
    (row,) = account.list_tokens(session, email="ana@acme.org")
    account.revoke_token(session, token_id=row.id)
    session.commit()
    session.expire_all()
    revoked_at = session.scalars(select(ApiTokenRow.revoked_at)).one()
    assert revoked_at is not None and revoked_at.tzinfo is not None
    assert abs(revoked_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert account.token_principal(session, token=token, now=NOON) is None


def test_a_token_of_an_inactive_user_is_refused(session: Session) -> None:
    user = make_user(session)
    token = account.create_token(session, email="ana@acme.org", name="ci", now=NOON)
    user.active = False
    session.commit()
    assert account.token_principal(session, token=token, now=NOON) is None


def test_tokens_of_an_unknown_user_or_id_are_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match=re.escape("no user 'bob@acme.org'")):
        account.create_token(session, email="bob@acme.org", name="ci", now=NOON)
    with pytest.raises(NotFound, match=re.escape("no user 'bob@acme.org'")):
        account.list_tokens(session, email="bob@acme.org")
    with pytest.raises(NotFound, match="no API token 42"):
        account.revoke_token(session, token_id=42, now=NOON)
