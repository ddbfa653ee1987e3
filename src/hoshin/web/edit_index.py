"""The plan's index for editors: the vision, and a page at a time of the units, people,
objectives and actions, each searchable, with links to their forms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.domain.model import LEVELS, Plan
from hoshin.domain.responsible import escalation_chains
from hoshin.service import policy
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.web.deps import Db, Place
from hoshin.web.edit_base import plan_url
from hoshin.web.names import names_of
from hoshin.web.parents import awaiting_mark
from hoshin.web.render import render

router = APIRouter()
PAGE = 25  # rows a section shows at a time
Search = Annotated[str, Query(max_length=200)]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]


@dataclass(frozen=True, slots=True)
class Listed:
    """Entities of one kind in plan order, with the lower-case text a search looks in."""

    items: tuple[Any, ...]
    texts: tuple[str, ...]

    def matching(self, query: str) -> Sequence[Any]:
        """Those whose id or title (or name) holds ``query``, ignoring case."""
        if not query:
            return self.items
        wanted = query.casefold()
        return [item for item, text in zip(self.items, self.texts, strict=True) if wanted in text]


def _listed(items: Sequence[Any], title: str) -> Listed:
    texts = tuple(f"{item.id}\n{getattr(item, title)}".casefold() for item in items)
    return Listed(tuple(items), texts)


def catalogue(found: Analysed) -> dict[str, Listed]:
    """The plan's lists for the index, made once per analysis (a search then reads
    one string per entity instead of the whole plan)."""

    def build(_: object) -> dict[str, Listed]:
        plan: Plan = found.plan
        lists = {"units": _listed(plan.units, "name"), "people": _listed(plan.people, "name"),
                 "objectives": _listed(plan.objectives, "title"),
                 "actions": _listed(plan.actions, "title")}  # fmt: skip
        for level in LEVELS:
            chosen = [o for o in plan.objectives if o.level == level]
            lists[f"objectives-{level}"] = _listed(chosen, "title")
        return lists

    return found.derived("edit.catalogue", build)


def _section(items: Sequence[Any], number: int, link: Any, name: str) -> dict[str, Any]:
    """One page of ``items`` and the links to the pages before and after."""
    pages = max((len(items) + PAGE - 1) // PAGE, 1)
    number = min(number, pages)
    start = (number - 1) * PAGE
    rows = items[start : start + PAGE]
    return {
        "rows": rows, "total": len(items), "number": number, "pages": pages,
        "first": start + 1 if rows else 0, "last": start + len(rows),
        "previous": link(**{name: number - 1}) if number > 1 else None,
        "next": link(**{name: number + 1}) if number < pages else None,
    }  # fmt: skip


@router.get("/orgs/{org}/plan", response_class=HTMLResponse)
def plan_index(
    request: Request,
    session: Db,
    here: Place,
    oq: Search = "",
    level: Annotated[str, Query(max_length=20)] = "",
    op: PageNumber = 1,
    aq: Search = "",
    ap: PageNumber = 1,
    pq: Search = "",
    pp: PageNumber = 1,
    up: PageNumber = 1,
) -> Response:
    """The vision, units, people, objectives (by id or title, by level) and actions, a page
    of each, with Edit and New links for editors.

    The lists come from the analysed plan, memoised once per analysis: paging and searching
    them costs less than counting and sorting the store's rows on every request."""
    found = here.analysed(session)
    lists = catalogue(found)
    chosen = level if level in LEVELS else ""
    params = {"oq": oq, "level": chosen, "op": op, "aq": aq, "ap": ap, "pq": pq, "pp": pp,
              "up": up}  # fmt: skip

    def link(**changes: Any) -> str:
        merged = {**params, **changes}
        kept = {name: value for name, value in merged.items() if value not in ("", None, 1)}
        return f"?{urlencode(kept)}" if kept else "?"

    objectives = lists[f"objectives-{chosen}" if chosen else "objectives"]
    # a unit without a lead escalates to the nearest lead above it: said in the list
    chains = found.derived("edit.leads", lambda _: escalation_chains(found.plan.units))
    context = {
        "here": here, "vision": found.plan.vision, "params": params, "levels": LEVELS,
        "may_edit": policy.may(here.role, Act.EDIT_PLAN), "plan_root": plan_url(here),
        "deleted": request.query_params.get("deleted", "")[:200], "names": names_of(found),
        "awaiting": lambda key: awaiting_mark(found, key),
        "leads": lambda key: chains.get(key, ()),
        "units": _section(lists["units"].items, up, link, "up"),
        "people": _section(lists["people"].matching(pq), pp, link, "pp"),
        "objectives": _section(objectives.matching(oq), op, link, "op"),
        "actions": _section(lists["actions"].matching(aq), ap, link, "ap"),
    }  # fmt: skip
    return render(request, "plan.html", context)
