"""The FastAPI application: /api/v1 routes, OpenAPI at /api/docs, one error mapping."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from hoshin import __version__
from hoshin.api import (
    action,
    actuals_import,
    analysis,
    assist,
    audit,
    calendar,
    catchball,
    checkin,
    countermeasure,
    docs,
    errors,
    member,
    metric,
    notification,
    objective,
    report,
    review,
    scim,
    session,
    situation,
    sso,
    unit,
    webhook,
)
from hoshin.config import settings
from hoshin.runtime.admission import Admission, Slots, request_limit
from hoshin.runtime.background import in_background
from hoshin.runtime.group_commit import NewActuals
from hoshin.runtime.lookups import Lookups
from hoshin.runtime.sessions import Sessions, open_sessions
from hoshin.service.account import TokenUses
from hoshin.service.analysis import AnalysisCache


def create_app(sessions: Sessions | None = None) -> FastAPI:
    """The app on ``sessions`` (default: HOSHIN_DATABASE_URL, which must be migrated)."""
    app = FastAPI(
        title="hoshin",
        version=__version__,
        description="Strategy deployment: plans, check-ins and their analysis.",
        docs_url=None,  # hoshin.api.docs: Swagger UI from the package, under the CSP
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.sessions = sessions or open_sessions(settings().database_url)
    app.state.analyses = AnalysisCache(background=in_background(app.state.sessions))
    app.state.token_uses = TokenUses()
    app.state.new_actuals = NewActuals(app.state.sessions)
    app.state.lookups = Lookups(app.state.sessions)
    errors.install(app)
    routers = (session, analysis, objective, checkin, metric, unit, action, countermeasure,
               audit, member, catchball, review, webhook, calendar, notification,
               report, actuals_import, assist, situation, sso)  # fmt: skip
    # Each under /api/v1 on the app itself, not through one /api/v1 router: FastAPI matches
    # a request again at each level of included routers (with two levels, routing was a
    # tenth of an objective read's CPU under bench-server's load, py-spy --gil).
    for module in routers:
        app.include_router(
            module.router, prefix="/api/v1", responses=errors.ERROR_RESPONSES,
            dependencies=[Depends(errors.refuse_hostile_text)],
        )  # fmt: skip
    # SCIM 2.0 provisioning (RFC 7644) at its own root: directories are configured with a
    # base URL and a bearer token, which names the organisation.
    app.include_router(scim.router, prefix="/scim/v2")
    app.include_router(docs.router)
    app.state.slots = Slots(request_limit(app.state.sessions.kw.get("bind")))
    app.add_middleware(Admission, slots=app.state.slots, without_slot=checkin.waits_for_the_writer)
    return app
