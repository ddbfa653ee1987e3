"""One thread hand-off per API request (hoshin.runtime.one_thread), its rules one by one.

A tiny app of its own shows where each part runs; the seeded API shows what a client sees.
(No ``from __future__ import annotations``: FastAPI must read the routes' annotations, which
name dependencies local to _app.)
"""

import threading
from typing import Annotated, Any

from api_support import Seeded
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from hoshin.runtime.engine import session_factory
from hoshin.runtime.one_thread import Later, OneThreadRoute


def _app(engine: Engine, seen: dict[str, Any]) -> FastAPI:
    """Routes that note the thread of each part; /write adds a row to 'notes', /fail too
    and then fails."""
    sessions = session_factory(engine)

    def database() -> Session:  # no thread of its own: made in the loop, like api.deps'
        session = sessions()
        seen["sessions"] = [*seen.get("sessions", []), session]
        return session

    async def asker(session: Annotated[Session, Depends(database)]) -> Later:
        def find() -> str:
            seen["find"] = threading.get_ident()
            return "ana"

        return Later(find, session)

    router = APIRouter(route_class=OneThreadRoute)

    @router.get("/who")
    def who(me: Annotated[str, Depends(asker)]) -> dict[str, Any]:
        seen["route"] = threading.get_ident()
        return {"me": me}

    @router.post("/write")
    def write(session: Annotated[Session, Depends(database)]) -> dict[str, Any]:
        session.execute(text("INSERT INTO notes (body) VALUES ('kept')"))
        return {}

    @router.post("/fail")
    def fail(me: Annotated[str, Depends(asker)]) -> dict[str, Any]:
        seen["sessions"][-1].execute(text("INSERT INTO notes (body) VALUES ('lost')"))
        raise RuntimeError("the route failed")

    @router.get("/loop")
    async def loop() -> dict[str, Any]:
        seen["loop"] = threading.get_ident()
        return {}

    app = FastAPI()
    app.include_router(router)
    return app


def _notes(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT body FROM notes ORDER BY body")).scalars())


def _with_notes(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))


def test_a_later_value_is_found_in_the_routes_own_thread_and_the_route_gets_the_value(
    engine: Engine,
) -> None:
    seen: dict[str, Any] = {}
    with TestClient(_app(engine, seen)) as client:
        answer = client.get("/who")
    assert answer.json() == {"me": "ana"}  # the value found, not the Later
    assert seen["find"] == seen["route"]  # one thread for both: one hand-off
    assert seen["route"] != threading.get_ident()  # and not the event loop's


def test_the_routes_thread_commits_the_session_when_the_route_returns(engine: Engine) -> None:
    _with_notes(engine)
    seen: dict[str, Any] = {}
    with TestClient(_app(engine, seen)) as client:
        assert client.post("/write").status_code == 200
    assert _notes(engine) == ["kept"]
    assert not seen["sessions"][-1].in_transaction()  # nothing left for the dependency's exit


def test_a_failing_route_rolls_its_session_back(engine: Engine) -> None:
    _with_notes(engine)
    seen: dict[str, Any] = {}
    with TestClient(_app(engine, seen), raise_server_exceptions=False) as client:
        assert client.post("/fail").status_code == 500
    assert _notes(engine) == []  # the row it wrote before failing is gone
    assert not seen["sessions"][-1].in_transaction()


def test_an_async_route_stays_in_the_event_loop(engine: Engine) -> None:
    seen: dict[str, Any] = {}
    with TestClient(_app(engine, seen)) as client:
        loop_thread = client.portal.call(threading.get_ident)  # type: ignore[union-attr]
        assert client.get("/loop").status_code == 200
    assert seen["loop"] == loop_thread


def test_an_invalid_body_is_told_before_the_asker_is_looked_for(api: Seeded) -> None:
    # The path, query and body are checked in the event loop, the asker in the route's
    # thread: without credentials, an invalid value answers 422 and a valid one 401.
    url = "/api/v1/orgs/clinic/metrics/huddles/actuals/2026-06"
    invalid = api.client.put(url, json={"value": "many"})
    assert invalid.status_code == 422 and invalid.json()["detail"][0]["field"] == "body.value"
    assert api.client.put(url, json={"value": 70}).status_code == 401
    assert api.client.get(url).status_code == 401


def test_every_route_of_the_api_runs_in_one_thread() -> None:
    # A route of a router without OneThreadRoute would get access's Later, not the Asker.
    import importlib
    import pkgutil

    import hoshin.api

    routers = {}
    for module in pkgutil.iter_modules(hoshin.api.__path__):
        found = getattr(importlib.import_module(f"hoshin.api.{module.name}"), "router", None)
        if isinstance(found, APIRouter):
            routers[module.name] = found
    # action, actuals_import, analysis, assist, audit, calendar, catchball, checkin,
    # countermeasure, docs, member, metric, notification, objective, report, review, scim,
    # session, situation, sso, unit, webhook: every module with routes
    assert len(routers) == 22
    for name, router in routers.items():
        plain = [str(r) for r in router.routes if not isinstance(r, OneThreadRoute)]
        assert not plain, f"hoshin.api.{name}: routes without OneThreadRoute: {plain}"
