"""A connection that the database ended (a restart, an idle timeout) is found out by the
statement that uses it, not by a ping before every request (runtime.engine): a read runs once
more on a new connection, any other request is answered 503 with Retry-After, and the next
request has new connections. PostgreSQL only: it ends the connections of the app's engine
(named by its application_name) from another connection, as a restart would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import seed
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from hoshin.api.app import create_app
from hoshin.runtime.engine import make_engine, session_factory

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
NAME = "hoshin_lost"
OBJECTIVE = "/api/v1/orgs/clinic/objectives/A1"
LOST = "the connection to the database was lost and is open again: retry"


@pytest.fixture
def client(engine: Engine, database_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The API on an engine of its own, and an editor's Authorization header."""
    tokens = seed(engine).tokens
    own = make_engine(database_url, connect_args={"application_name": NAME})
    with TestClient(create_app(session_factory(own))) as api:
        yield api, {"Authorization": f"Bearer {tokens['editor']}"}
    own.dispose()


def end_the_apps_connections(engine: Engine) -> int:
    """Ends every connection of the app's engine (waiting until each is gone); how many."""
    with engine.connect() as connection:
        ended = connection.execute(
            text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) "
                "FROM pg_stat_activity WHERE application_name = :name"
            ),
            {"name": NAME},
        ).scalar_one()
    return int(ended)


def test_a_read_on_a_lost_connection_runs_again_on_a_new_one(
    client: tuple[TestClient, dict[str, str]], engine: Engine
) -> None:
    """The objective read's lookup (runtime.lookups) and a read in a thread of its own
    (runtime.one_thread) each run once more."""
    api, editor = client
    assert api.get(OBJECTIVE, headers=editor).status_code == 200
    assert end_the_apps_connections(engine) >= 1  # the pool's, now dead
    answer = api.get(OBJECTIVE, headers=editor)
    assert answer.status_code == 200
    assert answer.json()["id"] == "A1"
    assert end_the_apps_connections(engine) >= 1
    listed = api.get("/api/v1/orgs/clinic/objectives", headers=editor)
    assert listed.status_code == 200 and listed.json()["total"] > 0


def test_a_change_on_a_lost_connection_is_503_and_saves_nothing_then_works(
    client: tuple[TestClient, dict[str, str]], engine: Engine
) -> None:
    api, editor = client
    assert api.get(OBJECTIVE, headers=editor).status_code == 200
    bulk = {"actuals": [{"metric": "huddles", "period": "2026-06", "value": 61}]}
    assert end_the_apps_connections(engine) >= 1
    lost = api.post("/api/v1/orgs/clinic/actuals", json=bulk, headers=editor)
    assert lost.status_code == 503
    assert lost.headers["Retry-After"] == "1"
    assert lost.json() == {"error": LOST, "detail": None}
    actual = "/api/v1/orgs/clinic/metrics/huddles/actuals/2026-06"
    assert api.get(actual, headers=editor).status_code == 404  # nothing was saved
    assert api.post("/api/v1/orgs/clinic/actuals", json=bulk, headers=editor).status_code == 200


def test_check_ins_on_a_lost_connection_are_503_then_work(
    client: tuple[TestClient, dict[str, str]], engine: Engine
) -> None:
    """The writer of check-ins (runtime.group_commit) loses its connection: its batch is
    told, and its next transaction has a new one."""
    api, editor = client
    actual = "/api/v1/orgs/clinic/metrics/huddles/actuals/2026-06"
    assert (
        api.put(actual.replace("2026-06", "2026-07"), json={"value": 1}, headers=editor).status_code
        == 201
    )
    assert end_the_apps_connections(engine) >= 1
    lost = api.put(actual, json={"value": 61}, headers=editor)
    assert lost.status_code == 503 and lost.json() == {"error": LOST, "detail": None}
    assert api.put(actual, json={"value": 61}, headers=editor).status_code == 201
