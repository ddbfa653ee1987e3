"""/api/docs: Swagger UI on the OpenAPI schema, from hoshin's own files."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hoshin.runtime.one_thread import OneThreadRoute

router = APIRouter(include_in_schema=False, route_class=OneThreadRoute)

# FastAPI's get_swagger_ui_html starts Swagger UI with an inline <script>, which the
# Content-Security-Policy (hoshin.guard.headers) refuses: this page starts it from a file.
# The files are the npm package swagger-ui-dist, which make setup copies into the package
# and the web app serves under /vendor (hoshin.server composes the two).
PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="icon" type="image/png" href="/vendor/favicon-32x32.png">
  <link rel="stylesheet" href="/vendor/swagger-ui.css">
  <script src="/vendor/swagger-ui-bundle.js" defer></script>
  <script src="/static/swagger-init.js" defer></script>
</head>
<body>
  <main id="swagger-ui" data-openapi-url="{openapi_url}"></main>
</body>
</html>
"""


@router.get("/api/docs")
def docs(request: Request) -> HTMLResponse:
    """The page that shows the API's operations from its OpenAPI schema."""
    app = request.app
    title = escape(f"{app.title} API")
    return HTMLResponse(PAGE.format(title=title, openapi_url=escape(app.openapi_url or "")))
