"""PDF documents: HTML from Jinja templates, printed by WeasyPrint (no browser, no network).

The documents' templates (service/templates/documents) include the partials the pages
include too (service/templates/shared: the bowling chart, the metric's SVG chart, the
X-matrix), with the same filters, so that a PDF shows what the page shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from hoshin.service import view
from hoshin.service.document import svg

TEMPLATES = Path(__file__).parents[1] / "templates"
FILTERS = {
    "percent": view.percent,
    "number": view.number,
    "status_word": view.status_word,
    "figure": view.figure,
    "decimals": view.decimals,
}
GLOBALS: dict[str, Any] = {"SYMBOL": view.SYMBOL, "chart_drawing": svg.chart_drawing}


@cache
def environment() -> Environment:
    """The documents' Jinja environment: their own templates, then the shared partials."""
    env = Environment(
        loader=FileSystemLoader([TEMPLATES / "documents", view.SHARED_TEMPLATES]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env


def render_html(template: str, context: Mapping[str, Any]) -> str:
    """The document ``template`` filled in with ``context``, as HTML."""
    return environment().get_template(template).render(context)


def render_pdf(template: str, context: Mapping[str, Any]) -> bytes:
    """The document ``template`` filled in with ``context``, printed to PDF."""
    html = render_html(template, context)
    # Imported at the first document printed, not with the server: WeasyPrint and its font
    # tools are 27 MB of every worker's memory, used only for PDF documents.
    import weasyprint

    # No base URL and a fetcher that refuses everything: a document is drawn from its HTML
    # and inline SVG alone, with the system's fonts, and never reaches out to the network.
    return bytes(weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf())


def _refuse(url: str, *_: Any, **__: Any) -> dict[str, Any]:
    raise ValueError(f"a document reads nothing from outside: {url}")
