"""Databases for the storage and API suites: every such test runs on SQLite and PostgreSQL.

PostgreSQL comes from HOSHIN_TEST_DATABASE_URL (a database the tests may create others
from); without it a throwaway cluster is started with the local PostgreSQL binaries on a
free loopback port. Without either the PostgreSQL tests are skipped, except under CI=true,
where a skipped PostgreSQL suite is a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from hoshin.runtime.engine import make_engine, session_factory
from hoshin.store.migrate import upgrade
from serving import free_port

BACKENDS = ("sqlite", "postgresql")

# Speed is measured by make bench, never by a test: no hypothesis example has a deadline (on a
# loaded 2-core CI host the default 200 ms failed properties that were right). A test's own
# @settings still sets the number of examples.
settings.register_profile("hoshin", deadline=None)
settings.load_profile("hoshin")


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL URL on which the tests may CREATE and DROP databases."""
    given = os.environ.get("HOSHIN_TEST_DATABASE_URL")
    if given:
        yield given
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        message = "PostgreSQL: no HOSHIN_TEST_DATABASE_URL and no local PostgreSQL binaries"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="hoshin-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    subprocess.run(
        _as_postgres([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"
    subprocess.run(
        _as_postgres(
            [pg_ctl, "-D", str(data), "-o", options, "-w", "-l", str(folder / "log"), "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), check=False
        )
        shutil.rmtree(folder, ignore_errors=True)


def _admin(url: str) -> Engine:
    """An engine for CREATE/DROP DATABASE; no pool, so nothing stays connected."""
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> Iterator[str]:
    """A database migrated once to the newest schema; each test copies it."""
    name = f"hoshin_template_{uuid.uuid4().hex[:8]}"
    admin = _admin(pg_admin_url)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once to the newest schema; each test copies it."""
    path = tmp_path_factory.mktemp("template") / "hoshin.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database kind of this run of the test."""
    name: str = request.param
    return name


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new database at the newest schema, for this test only."""
    if backend == "sqlite":
        target = tmp_path / "hoshin.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    admin_url: str = request.getfixturevalue("pg_admin_url")
    template: str = request.getfixturevalue("pg_template")
    name = f"hoshin_test_{uuid.uuid4().hex[:10]}"
    admin = _admin(admin_url)
    with admin.connect() as connection:
        for attempt in range(20):  # the template may still be busy for a moment
            try:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
                break
            except Exception:
                if attempt == 19:
                    raise
                time.sleep(0.1)
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on this test's database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session; the test commits where the boundary would."""
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its real cost takes 0.2 s a hash here; the API tests only need it to work."""
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    from hoshin.service import account

    cheap = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    monkeypatch.setattr(account, "password_hash", cheap)


@pytest.fixture
def api(engine: Engine) -> Iterator[Any]:
    """A seeded API on this test's database (tests/api/api_support.py, imported here when
    an API test runs: its folder is on the import path then)."""
    from api_support import seed

    seeded = seed(engine)
    with seeded.client:
        yield seeded
