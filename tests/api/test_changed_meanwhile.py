"""A change whose COMMIT the database refuses, because another change came first in the
meantime, is answered 409 with the usual error body, and nothing of it is saved.

The race is real on PostgreSQL: a bulk check-in reads its metric, inserts the month's actual,
and before its COMMIT another connection deletes the metric; the actual's foreign key is
checked at COMMIT (it is deferred), which fails. SQLite cannot interleave them (a writing
transaction holds the write lock from its first statement), so there the refusal is raised
by a route of a test app.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_support import Seeded
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hoshin.api.app import create_app
from hoshin.runtime.engine import session_factory
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service.analysis import AnalysisCache
from hoshin.web.app import create_web

MESSAGE = (
    "another change was saved meanwhile (something this one refers to was deleted or created "
    "first): nothing of this one was saved; read it again and retry"
)


@pytest.fixture
def metric_deleted_before_commit(engine: Engine) -> Iterator[None]:
    """At the first COMMIT of any session from now on, another connection deletes the
    metric 'huddles' of 'clinic' (and, by cascade, its actuals) and commits first."""
    fired: list[bool] = []

    def delete_huddles(_: Session) -> None:
        if fired:
            return
        fired.append(True)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "DELETE FROM metrics WHERE key = 'huddles' AND org_id = "
                    "(SELECT id FROM organizations WHERE slug = 'clinic')"
                )
            )

    event.listen(Session, "before_commit", delete_huddles)
    yield
    event.remove(Session, "before_commit", delete_huddles)


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


# PostgreSQL only (see the docstring): SQLite's write lock lets no other change in between.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_check_in_whose_metric_was_deleted_before_its_commit_is_409(
    api: Seeded, engine: Engine, request: pytest.FixtureRequest
) -> None:
    events_before = _count(engine, "SELECT count(*) FROM audit_events")
    request.getfixturevalue("metric_deleted_before_commit")
    body = {"actuals": [{"metric": "huddles", "period": "2027-01", "value": 70}]}
    answer = api.client.post(
        "/api/v1/orgs/clinic/actuals", json=body, headers=api.headers("editor")
    )
    assert answer.status_code == 409
    assert answer.json() == {"error": MESSAGE, "detail": None}
    assert _count(engine, "SELECT count(*) FROM metrics WHERE key = 'huddles'") == 1  # other's
    assert _count(engine, "SELECT count(*) FROM actuals WHERE period = 2027 * 12") == 0
    assert _count(engine, "SELECT count(*) FROM audit_events") == events_before


def test_a_refused_commit_is_409_with_the_error_body(engine: Engine) -> None:
    app = create_app(session_factory(engine))
    router = APIRouter(route_class=OneThreadRoute)

    @router.post("/refused")
    def refused() -> dict[str, Any]:
        raise IntegrityError("COMMIT", {}, Exception("FOREIGN KEY constraint failed"))

    app.include_router(router)
    with TestClient(app) as client:
        answer = client.post("/refused")
    assert answer.status_code == 409
    assert answer.json() == {"error": MESSAGE, "detail": None}


def test_a_refused_commit_is_a_409_page_in_the_web_app(engine: Engine) -> None:
    web = create_web(session_factory(engine), AnalysisCache())

    @web.post("/refused")
    def refused() -> None:
        raise IntegrityError("COMMIT", {}, Exception("FOREIGN KEY constraint failed"))

    with TestClient(web) as client:
        answer = client.post("/refused")
    assert answer.status_code == 409
    assert answer.headers["content-type"].startswith("text/html") and MESSAGE in answer.text
