"""`make bench-identity`: SCIM provisioning at enterprise size, and what one single sign-on
costs (OpenID Connect and SAML).

`PYTHONPATH=tests .venv/bin/python -m bench.identity` from the repository's root (the test
peers tests/oidc_provider.py and tests/saml_idp.py are imported as the tests do). For each
database of BENCH_IDENTITY_DATABASES (default "sqlite,postgresql"; PostgreSQL on
BENCH_POSTGRES_URL, bench.server's) a fresh, migrated database gets an organisation whose
BENCH_IDENTITY_MEMBERS (default 50000) members are bulk-inserted (users and memberships
through SQLAlchemy Core, not one SCIM request each: their wall and CPU seconds are shown),
a tenth of them in one directory group, and a SCIM token. Then, through the real ASGI app
in this process (Starlette's TestClient: the app's middlewares and routes, no socket),
each SCIM request BENCH_IDENTITY_REPEAT times (default 50; the filters matched in memory
BENCH_IDENTITY_SLOW_REPEAT times, default 5), and BENCH_IDENTITY_SIGN_INS (default 30)
sign-ins of members: an OpenID Connect callback (the code redeemed at tests' TinyProvider
over loopback HTTP, the ID token checked, the session written) and a SAML ACS post (a
pysaml2 IdP's signed answer, checked by pysaml2 with the xmlsec1 program). Times are round
trips in ms (p50, p95) and this process's CPU per request (the app, SQLite and the
provider all run in it; PostgreSQL's work is in its server). Prints Markdown tables.
"""

from __future__ import annotations

import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from bench.server import fresh_database, log
from hoshin.config import settings
from hoshin.runtime.engine import session_factory
from hoshin.runtime.sessions import open_engine, upgrade_database
from hoshin.server import create_server
from hoshin.service import account, oidc, saml, scim, scim_directory, sso
from hoshin.service.organization import create_organization
from hoshin.service.scim import ScimUser
from hoshin.service.sso import SsoSettings
from hoshin.store.organization import get_organization
from hoshin.store.scim import ScimGroupMemberRow, ScimGroupRow
from hoshin.store.user import MembershipRow, UserRow
from oidc_provider import CLIENT_ID, CLIENT_SECRET, TinyProvider, tiny_provider
from saml_idp import SamlIdp, make_idp

DATABASES = [
    s for s in os.environ.get("BENCH_IDENTITY_DATABASES", "sqlite,postgresql").split(",") if s
]
MEMBERS = int(os.environ.get("BENCH_IDENTITY_MEMBERS", "50000"))
REPEAT = int(os.environ.get("BENCH_IDENTITY_REPEAT", "50"))
SLOW_REPEAT = int(os.environ.get("BENCH_IDENTITY_SLOW_REPEAT", "5"))
SIGN_INS = int(os.environ.get("BENCH_IDENTITY_SIGN_INS", "30"))
SLUG = "bench"
DOMAIN = "members.example"
CHUNK = 5000  # rows an INSERT of the bulk set-up
NOW = datetime(2026, 12, 1, tzinfo=UTC)
SCIM = "/scim/v2"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@dataclass
class Directory:
    """The organisation as bulk-inserted: its members (membership id, e-mail), the group
    and the SCIM token."""

    members: list[tuple[int, str]]
    outside_group: list[int]  # membership ids not in the group
    group: str  # its SCIM id
    token: str
    seconds: float
    cpu: float
    gone: set[str] = field(default_factory=set)  # e-mails deactivated by the bench

    def pick(self, rng: random.Random) -> tuple[int, str]:
        """A random member still active."""
        while True:
            found = rng.choice(self.members)
            if found[1] not in self.gone:
                return found


@dataclass
class Row:
    """One line of a table: a request's round trips and CPU, in ms."""

    what: str
    wall: list[float]
    cpu: list[float] = field(default_factory=list)  # none: not measured
    note: str = ""

    def cells(self) -> str:
        """The Markdown row."""
        p50, p95 = statistics.median(self.wall), nearest_rank(self.wall, 0.95)
        cpu = statistics.fmean(self.cpu) if self.cpu else math.nan
        return (
            f"| {self.what} | {len(self.wall)} | {p50:.1f} | {p95:.1f} | {cpu:.1f} | {self.note} |"
        )


def nearest_rank(samples: list[float], share: float) -> float:
    """The nearest-rank percentile of ``samples``."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def populate(sessions: sessionmaker[Session], members: int) -> Directory:
    """The organisation, its admin, ``members`` bulk-inserted members (a tenth of them in
    the group 'Staff') and a SCIM token, committed; timed."""
    started, cpu = time.perf_counter(), time.process_time()
    with sessions() as session:
        org = create_organization(session, slug=SLUG, name="Bench", actor="bench", origin="bench")
        account.add_user(session, email=f"admin@{SLUG}.example", password=uuid.uuid4().hex,
                         actor="bench", origin="bench")  # fmt: skip
        account.set_role(session, email=f"admin@{SLUG}.example", org_slug=SLUG, role="admin",
                         actor="bench", origin="bench")  # fmt: skip
        emails = [f"m{i:06d}@{DOMAIN}" for i in range(members)]
        users = [{"email": e, "name": f"Member {i}", "password_hash": scim.NO_PASSWORD,
                  "created_at": NOW, "active": True} for i, e in enumerate(emails)]  # fmt: skip
        _bulk(session, UserRow, users)
        ids = session.execute(
            select(UserRow.id, UserRow.email).where(UserRow.email.like(f"%@{DOMAIN}"))
        )
        user_ids = dict((email, uid) for uid, email in ids)
        memberships = [{"user_id": user_ids[e], "org_id": org.id, "role": "viewer",
                        "external_id": f"ext-{i}", "active": True, "created_at": NOW,
                        "updated_at": NOW} for i, e in enumerate(emails)]  # fmt: skip
        _bulk(session, MembershipRow, memberships)
        found = session.execute(
            select(MembershipRow.id, UserRow.email)
            .join(UserRow, UserRow.id == MembershipRow.user_id)
            .where(MembershipRow.org_id == org.id, UserRow.email.like(f"%@{DOMAIN}"))
            .order_by(MembershipRow.id)
        )
        listed = [(mid, email) for mid, email in found]
        group = ScimGroupRow(org_id=org.id, scim_id=str(uuid.uuid4()), display_name="Staff",
                             created_at=NOW, updated_at=NOW)  # fmt: skip
        session.add(group)
        session.flush()
        in_group = listed[: members // 10]
        _bulk(session, ScimGroupMemberRow,
              [{"group_id": group.id, "user_id": user_ids[e]} for _, e in in_group])  # fmt: skip
        token = scim_directory.create_token(
            session, org=org, name="entra", now=NOW, actor="bench", origin="bench"
        )[1]
        session.commit()
        # The planner's statistics, as autovacuum (PostgreSQL) keeps them for tables that
        # grew: without them, PostgreSQL counted and paged 50,000 members in 108 and 129 ms
        # instead of 24 and 4 ms (a bulk load's artefact, not what a server sees).
        session.execute(text("ANALYZE"))
        session.commit()
        scim_id = group.scim_id
    outside = [mid for mid, _ in listed[members // 10 :]]
    seconds, used = time.perf_counter() - started, time.process_time() - cpu
    return Directory(listed, outside, scim_id, token, seconds, used)


def _bulk(session: Session, row: type[Any], values: list[dict[str, Any]]) -> None:
    """An executemany INSERT of the table's rows, CHUNK at a time."""
    for start in range(0, len(values), CHUNK):
        session.execute(insert(row.__table__), values[start : start + CHUNK])


def timed(
    client: TestClient, method: str, path: str, expect: int, **kwargs: Any
) -> tuple[float, float]:
    """A request's round trip and this process's CPU meanwhile, in ms; stops the bench when
    it is not answered ``expect``."""
    started, cpu = time.perf_counter(), time.process_time()
    answer = client.request(method, path, **kwargs)
    wall, used = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    if answer.status_code != expect:
        sys.exit(f"{method} {path}: {answer.status_code}, not {expect}: {answer.text[:500]}")
    return wall, used


Ask = tuple[str, str, int, dict[str, Any]]  # method, path, status expected, request's options


def scim_rows(client: TestClient, d: Directory, rng: random.Random) -> list[Row]:
    """Each SCIM request's round trips (after one untimed request: the app's first)."""
    auth = {"Authorization": f"Bearer {d.token}"}
    timed(client, "GET", f"{SCIM}/Users", 200, headers=auth, params={"count": 1})
    rows: list[Row] = []

    def measure(what: str, times: int, ask: Callable[[int], Ask], note: str = "") -> Row:
        row = Row(what, [], note=note)
        for i in range(times):
            method, path, expect, options = ask(i)
            wall, used = timed(client, method, path, expect, headers=auth, **options)
            row.wall.append(wall)
            row.cpu.append(used)
        rows.append(row)
        return row

    def listing(text: str) -> Ask:
        return "GET", f"{SCIM}/Users", 200, {"params": {"filter": text}}

    # Above scim.IN_MEMORY_LIMIT members a filter the database cannot narrow is refused
    # (400 tooMany) instead of building every member.
    refused = len(d.members) > scim.IN_MEMORY_LIMIT

    def narrowed(text: str) -> str:
        found = scim.narrowing(scim_directory.scim_filter(ScimUser, text).ast)
        if found:
            return "narrowed in SQL"
        return "refused: 400 tooMany" if refused else "every member built and matched in memory"

    def of_a_member(form: str) -> Callable[[int], Ask]:
        return lambda i: listing(form.format(d.pick(rng)[1]))

    def page(start: int) -> Ask:
        return "GET", f"{SCIM}/Users", 200, {"params": {"startIndex": start, "count": 100}}

    def create(i: int) -> Ask:
        email = f"new{i}.{uuid.uuid4().hex[:6]}@{DOMAIN}"
        body = {"schemas": [USER], "userName": email, "displayName": f"New {i}",
                "externalId": f"new-{i}"}  # fmt: skip
        return "POST", f"{SCIM}/Users", 201, {"json": body}

    def deactivate(i: int) -> Ask:
        mid, email = d.pick(rng)
        d.gone.add(email)
        change = {"op": "replace", "path": "active", "value": False}
        return "PATCH", f"{SCIM}/Users/{mid}", 200, {"json": patch(change)}

    joining = rng.sample(d.outside_group, min(REPEAT, len(d.outside_group)))

    def join(i: int) -> Ask:
        change = {"op": "add", "path": "members", "value": [{"value": str(joining[i])}]}
        return "PATCH", f"{SCIM}/Groups/{d.group}", 204, {"json": patch(change)}

    by_name, by_mail = 'userName eq "{}"', 'emails[type eq "work"].value eq "{}"'
    by_display = 'displayName co "{}"'
    for form in (by_name, by_mail):
        measure(f"GET /Users?filter={form.format('…')}", REPEAT, of_a_member(form),
                narrowed(form.format("a@b.c")))  # fmt: skip
    measure("GET /Users?count=100 (the first page)", REPEAT, lambda i: page(1))
    deep = len(d.members) * 4 // 5 + 1
    measure(f"GET /Users?startIndex={deep}&count=100", REPEAT, lambda i: page(deep))

    def by_display_name(i: int) -> Ask:
        method, path, _, options = listing(by_display.format(rng.randrange(len(d.members))))
        return method, path, 400 if refused else 200, options

    measure(f"GET /Users?filter={by_display.format('…')}", REPEAT if refused else SLOW_REPEAT,
            by_display_name, narrowed(by_display.format("1")))  # fmt: skip
    created = measure("POST /Users (a new member)", REPEAT, create)
    created.note = f"{1000 * len(created.wall) / sum(created.wall):.0f} a second, one at a time"
    measure("PATCH /Users/{id} active false", REPEAT, deactivate, "ends sessions and tokens")
    measure(f"PATCH /Groups/{{id}} add a member (of {len(d.members) // 10:,})", len(joining), join)
    return rows


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    """A SCIM PatchOp's body."""
    return {"schemas": [PATCH], "Operations": list(operations)}


class Stopwatch:
    """Times each call of a module's function while ``wrapping`` (ms, in ``spent``)."""

    def __init__(self) -> None:
        self.spent: list[float] = []

    @contextmanager
    def wrapping(self, module: ModuleType, name: str) -> Iterator[None]:
        """The module's function ``name`` timed until the block ends."""
        original = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent.append((time.perf_counter() - started) * 1000)

        setattr(module, name, wrapper)
        try:
            yield
        finally:
            setattr(module, name, original)


def oidc_rows(
    client: TestClient, sessions: sessionmaker[Session], d: Directory, rng: random.Random
) -> list[Row]:
    """Whole OpenID Connect callbacks, and the token exchange and ID token check in them."""
    with tiny_provider() as provider:
        chosen = SsoSettings(protocol="oidc", label="Tiny", oidc_issuer=provider.issuer,
                             client_id=CLIENT_ID, client_secret=CLIENT_SECRET)  # fmt: skip
        configure(sessions, chosen)
        whole = Row("OpenID Connect: GET /sso/{slug}/oidc/callback", [])
        exchange, redeem = Stopwatch(), Stopwatch()
        oidc_sign_in(client, provider, d, rng)  # the first reads the discovery document and keys
        with exchange.wrapping(oidc, "_id_token"), redeem.wrapping(oidc, "redeem"):
            for _ in range(SIGN_INS):
                wall, used = oidc_sign_in(client, provider, d, rng)
                whole.wall.append(wall)
                whole.cpu.append(used)
    checks = [r - e for r, e in zip(redeem.spent, exchange.spent, strict=True)]
    rest = [w - r for w, r in zip(whole.wall, redeem.spent, strict=True)]
    return [
        whole,
        Row("… of which the token exchange (POST to the provider, loopback)", exchange.spent),
        Row("… of which the ID token's check (signature, claims)", checks),
        Row("… the rest (request taken, session written, page)", rest),
    ]


def oidc_sign_in(
    client: TestClient, provider: TinyProvider, d: Directory, rng: random.Random
) -> tuple[float, float]:
    """One sign-in of a random member: the start and the provider untimed, the callback
    timed."""
    mid, email = d.pick(rng)
    provider.user = {"sub": f"sub-{mid}", "email": email}
    client.cookies.clear()
    start = client.get(f"/sso/{SLUG}/oidc/start", follow_redirects=False)
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    back = urlsplit(at_provider.headers["location"])
    return timed(client, "GET", f"{back.path}?{back.query}", 303, follow_redirects=False)


def saml_rows(
    client: TestClient, sessions: sessionmaker[Session], d: Directory, rng: random.Random
) -> list[Row]:
    """Whole SAML ACS posts, and pysaml2's verification in them."""
    with tempfile.TemporaryDirectory(prefix="hoshin-bench-") as folder:
        sp = saml.addresses(base_url=settings().base_url, slug=SLUG)
        metadata = saml.sp_metadata(base_url=settings().base_url, slug=SLUG)
        idp = make_idp(Path(folder), sp_metadata=metadata, sp_entity_id=sp.entity_id,
                       acs_url=sp.acs_url)  # fmt: skip
        configure(sessions, SsoSettings(protocol="saml", saml_idp_metadata=idp.metadata))
        whole = Row("SAML: POST /sso/{slug}/saml/acs", [])
        made, verified = Stopwatch(), Stopwatch()
        saml_sign_in(client, idp, d, rng)
        parts: list[tuple[float, float]] = []  # pysaml2's client and verification in each post
        with made.wrapping(saml, "_client"), verified.wrapping(saml, "_verified"):
            for _ in range(SIGN_INS):
                wall, used = saml_sign_in(client, idp, d, rng, (made, verified))
                whole.wall.append(wall)
                whole.cpu.append(used)
                parts.append((sum(made.spent), sum(verified.spent)))
    rest = [w - m - v for w, (m, v) in zip(whole.wall, parts, strict=True)]
    return [
        whole,
        Row("… of which pysaml2's client (configuration, IdP metadata)", [m for m, _ in parts]),
        Row("… of which pysaml2's verification (xmlsec1 for the signature)", [v for _, v in parts]),
        Row("… the rest (answer read and checked, session written, page)", rest),
    ]


def saml_sign_in(
    client: TestClient,
    idp: SamlIdp,
    d: Directory,
    rng: random.Random,
    watches: tuple[Stopwatch, ...] = (),
) -> tuple[float, float]:
    """One sign-in of a random member: the start and the IdP's answer untimed, the ACS
    post timed; ``watches`` then hold only the post's calls (the start makes a pysaml2
    client too)."""
    _, email = d.pick(rng)
    client.cookies.clear()
    start = client.get(f"/sso/{SLUG}/saml/start", follow_redirects=False)
    for watch in watches:
        watch.spent.clear()
    answer = idp.answer(idp.read_request(start.headers["location"]), email=email)
    return timed(client, "POST", f"/sso/{SLUG}/saml/acs", 303, follow_redirects=False,
                 data={"SAMLResponse": answer, "RelayState": ""})  # fmt: skip


def configure(sessions: sessionmaker[Session], chosen: SsoSettings) -> None:
    """Sets the organisation's identity provider and commits."""
    with sessions() as session:
        org = get_organization(session, slug=SLUG)
        sso.set_settings(session, org=org, settings=chosen, actor="bench", origin="bench")
        session.commit()


def run(database: str) -> tuple[Directory, list[Row]]:
    """The set-up and every measure on a fresh database of this kind."""
    rng = random.Random(19)
    with fresh_database(database) as url:
        upgrade_database(url)
        engine = open_engine(url)
        try:
            sessions = session_factory(engine)
            log(f"{database}: bulk-inserting {MEMBERS:,} members")
            d = populate(sessions, MEMBERS)
            with TestClient(create_server(sessions)) as client:
                log(f"{database}: SCIM requests")
                rows = scim_rows(client, d, rng)
                log(f"{database}: OpenID Connect sign-ins")
                rows += oidc_rows(client, sessions, d, rng)
                log(f"{database}: SAML sign-ins")
                rows += saml_rows(client, sessions, d, rng)
        finally:
            engine.dispose()
    return d, rows


def yardstick() -> float:
    """sum(range(10**7)) in ms, the best of three: how fast this host runs Python."""
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        sum(range(10**7))
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def commit() -> str:
    """The checkout's commit (and whether it has changes), or 'unknown'."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head


def main() -> None:
    """Runs each database and prints its table."""
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load {os.getloadavg()[0]:.2f}; sum(range(10**7)) {yardstick():.0f} ms")  # fmt: skip
    print(f"command: BENCH_IDENTITY_MEMBERS={MEMBERS} BENCH_IDENTITY_REPEAT={REPEAT} "
          f"BENCH_IDENTITY_SLOW_REPEAT={SLOW_REPEAT} BENCH_IDENTITY_SIGN_INS={SIGN_INS} "
          f"make bench-identity; commit {commit()}")  # fmt: skip
    print("requests through the ASGI app in this process (TestClient); CPU is this process's")
    for database in DATABASES:
        d, rows = run(database)
        print()
        print(f"**{database}**: {MEMBERS:,} members bulk-inserted (SQLAlchemy Core, with a "
              f"group of {MEMBERS // 10:,}) in {d.seconds:.1f} s, {d.cpu:.1f} s CPU")  # fmt: skip
        print()
        print("| request | n | p50 (ms) | p95 (ms) | CPU (ms, mean) | note |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for row in rows:
            print(row.cells().replace("| nan |", "|  |"), flush=True)


if __name__ == "__main__":
    main()
