"""Templates: one Jinja2 environment, with the view helpers as filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from hoshin.web import view

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.filters.update(percent=view.percent, number=view.number, status_word=view.status_word)
TEMPLATES.env.globals.update(SYMBOL=view.SYMBOL)


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """The page ``template`` filled in with ``context``."""
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status)
