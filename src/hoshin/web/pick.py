"""The pickers' answers: the first matches of what was typed, as listbox options with names
and titles (static/picker.js asks as people type), and the id a new entity's title suggests."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from hoshin.errors import NotFound
from hoshin.service import search
from hoshin.web.deps import Db, Place
from hoshin.web.render import render

router = APIRouter()
Typed = Annotated[str, Query(max_length=300)]
# The listbox's id, which the options' ids extend (an element id of the page's form).
ListId = Annotated[str, Query(alias="list", max_length=100, pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]
_FALLBACK = re.compile(r"[a-z]{1,20}")


@router.get("/orgs/{org}/pick/new-id", response_class=PlainTextResponse)
def new_id(session: Db, here: Place, title: Typed = "", kind: Typed = "item") -> Response:
    """A free id made from ``title`` (the id a new entity gets when its id is left empty)."""
    fallback = kind if _FALLBACK.fullmatch(kind) else "item"
    key = search.new_key(session, org=here.org, title=title, fallback=fallback)
    return PlainTextResponse(key)


@router.get("/orgs/{org}/pick/{kind}", response_class=HTMLResponse)
def pick(
    request: Request,
    session: Db,
    here: Place,
    kind: str,
    q: Typed = "",
    box: ListId = "pick",
    unit: Typed = "",
) -> Response:
    """The first matches of ``q`` among the plan's people, units, objectives, metrics or
    actions, as the options of the listbox ``list``; ``unit``: only the people of that
    unit (a catchball proposal's lead)."""
    chosen = next((k for k in search.KINDS if k == kind), None)
    if chosen is None:
        raise NotFound(f"no picker for '{kind[:40]}': choose {', '.join(search.KINDS)}")
    found = search.choices(session, org=here.org, kind=chosen, query=q, unit=unit)
    context = {"choices": found, "list": box, "typed": q.strip(), "kind": chosen}
    return render(request, "picker_options.html", context)
