"""The web app: pages, their static files, and errors as pages (the API's are JSON)."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import Scope

from hoshin.errors import HoshinError
from hoshin.runtime.sessions import (
    DATABASE_ERROR,
    REFUSED_AT_COMMIT,
    Sessions,
    changed_meanwhile,
    connection_lost,
)
from hoshin.service.analysis import AnalysisCache
from hoshin.web import (
    actuals_import,
    admin,
    admin_sso,
    admin_webhooks,
    alignment,
    annual,
    assist,
    assist_drafts,
    auth,
    backward,
    calendar,
    catchball,
    checkin,
    countermeasure,
    edit,
    mywork,
    notification_settings,
    notifications,
    pages,
    parents,
    report,
    review,
    situation,
    sso_oidc,
    sso_saml,
    sso_signin,
    start,
    xmatrix,
)
from hoshin.web.deps import NotSignedIn, refuse_hostile_form
from hoshin.web.outcome import page_status
from hoshin.web.render import render

STATIC = Path(__file__).parent / "static"
# Front-end libraries (htmx, Swagger UI) come from the npm registry at set-up time
# (package-lock.json); make setup copies them here, into the package, so a wheel has them.
VENDOR = Path(__file__).parent / "vendor"


def create_web(sessions: Sessions, analyses: AnalysisCache) -> FastAPI:
    """The pages, on the same database and analysis cache as the API."""
    web = FastAPI(
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(refuse_hostile_form)],
    )
    web.state.sessions = sessions
    web.state.analyses = analyses
    # actuals_import before checkin: its POST /check-in/{metric}/{period} would take /import/save
    pages_ = (auth, pages, actuals_import, checkin, alignment, xmatrix, backward, catchball,
              mywork, review, annual, edit, admin, start, parents, countermeasure, notifications,
              notification_settings, admin_webhooks, calendar, report, assist,
              assist_drafts, situation, sso_signin, sso_oidc, sso_saml, admin_sso)  # fmt: skip
    for module in pages_:
        web.include_router(module.router)
    web.mount("/static", StaticFiles(directory=STATIC), name="static")
    if VENDOR.is_dir():  # without `make setup` the pages work, without htmx's help
        web.mount("/vendor", _VendorFiles(directory=VENDOR), name="vendor")
    _install_errors(web)
    return web


class _VendorFiles(StaticFiles):
    """Third-party files, fixed by package-lock.json: a browser may keep them for a day."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.setdefault("Cache-Control", "public, max-age=86400")
        return response


def _install_errors(web: FastAPI) -> None:
    @web.exception_handler(NotSignedIn)
    async def sign_in_first(request: Request, _: NotSignedIn) -> Response:
        return RedirectResponse("/signin", status_code=303)

    @web.exception_handler(HoshinError)
    async def hoshin_error(request: Request, error: HoshinError) -> Response:
        status = page_status(error)
        context = {"status": status, "message": error.message, "detail": error.detail}
        return render(request, "error.html", context, status)

    @web.exception_handler(REFUSED_AT_COMMIT)
    async def refused_at_commit(request: Request, error: Exception) -> Response:
        return await hoshin_error(request, changed_meanwhile(error))

    @web.exception_handler(DATABASE_ERROR)
    async def database_error(request: Request, error: Exception) -> Response:
        return await hoshin_error(request, connection_lost(error))

    @web.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        return render(request, "error.html", {"status": 422, "message": message}, 422)

    @web.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        context = {"status": error.status_code, "message": str(error.detail)}
        return render(request, "error.html", context, error.status_code)
