"""Templates: one Jinja2 environment, with the view helpers as filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from hoshin.domain import figures
from hoshin.domain.text import LONGEST
from hoshin.service import policy, view

# The pages' own templates, then the partials the PDF documents include too.
TEMPLATES = Jinja2Templates(directory=[Path(__file__).parent / "templates", view.SHARED_TEMPLATES])
TEMPLATES.env.filters.update(percent=view.percent, number=view.number, status_word=view.status_word)
# A metric's figures with its own precision: {{ value | figure(metric) }} (or decimals counted
# once for a table: {% set places = metric | decimals %} ... {{ value | figure(places) }}).
TEMPLATES.env.filters.update(figure=view.figure, decimals=view.decimals)
TEMPLATES.env.filters.update(exact=figures.exact)  # a field's value: sent back unrounded


@pass_context
def csrf_field(context: Context) -> Markup:
    """The hidden field that proves a form comes from a hoshin page (hoshin.guard.csrf)."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(
        csrf_token(context["request"])
    )


def csrf_token(request: Request) -> str:
    """This request's CSRF token (set by hoshin.guard.csrf; empty when served without it)."""
    return str(getattr(request.state, "csrf_token", ""))


TEMPLATES.env.globals.update(SYMBOL=view.SYMBOL, csrf_field=csrf_field, csrf_token=csrf_token)
# who may do what, as the pages ask it: {% if may(here.role, Act.EDIT_PLAN) %}
TEMPLATES.env.globals.update(may=policy.may, Act=policy.Act)
# The longest value of each kind of field (domain.text): the forms' maxlength hints.
TEMPLATES.env.globals.update(longest=LONGEST)


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """The page ``template`` filled in with ``context``."""
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status)
