"""The current position page: the situation's strengths, weaknesses, opportunities and
threats in a 2x2 grid, each with the objectives that address it, the unaddressed marked and
the assistant's suggestions beside them; and the forms of an item (editors and admins)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.domain.assist.situation import AddressSuggestion
from hoshin.domain.assist.space import Space
from hoshin.domain.model import SITUATION_KINDS, Objective, SituationItem, SituationKind
from hoshin.runtime.assist_spaces import lexical_plan_space, plan_space
from hoshin.runtime.sessions import Session
from hoshin.service import policy
from hoshin.service import situation as situation_service
from hoshin.service.analysis import Analysed
from hoshin.service.assist.addresses import suggest_addresses
from hoshin.service.policy import Act
from hoshin.web.deps import Db, Here, Place
from hoshin.web.edit_base import Editable, plan_url, register
from hoshin.web.edit_values import values_of
from hoshin.web.forms import Form, Reader
from hoshin.web.render import render

router = APIRouter()
HEADINGS: dict[SituationKind, str] = {
    "strength": "Strengths", "weakness": "Weaknesses", "opportunity": "Opportunities",
    "threat": "Threats",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Placed:
    """An item as the page shows it: the objectives that address it (id, title) and, when
    none does, the assistant's suggestions."""

    item: SituationItem
    addressed_by: tuple[tuple[str, str], ...]
    suggestions: tuple[AddressSuggestion, ...] = ()


def addressing(found: Analysed) -> dict[str, list[Objective]]:
    """The objectives that address each item, in plan order (once per analysis)."""

    def build(_: object) -> dict[str, list[Objective]]:
        by_item: dict[str, list[Objective]] = defaultdict(list)
        for objective in found.plan.objectives:
            for key in objective.addresses:
                by_item[key].append(objective)
        return dict(by_item)

    return found.derived("situation.addressing", build)


def page_space(found: Analysed, org: int) -> Space:
    """The plan's model space once made (in the background); its words meanwhile."""
    return plan_space(found, org=org) or lexical_plan_space(found, org=org)


def quadrants(found: Analysed, space: Space) -> list[tuple[SituationKind, list[Placed]]]:
    """The items of each kind in plan order, with the suggestions ranked in ``space``
    (once per analysis and space)."""
    by_item = addressing(found)

    def build(_: object) -> list[tuple[SituationKind, list[Placed]]]:
        suggested: dict[str, list[AddressSuggestion]] = defaultdict(list)
        for suggestion in suggest_addresses(found.plan, space=space):
            suggested[suggestion.item].append(suggestion)
        placed = [
            Placed(item, tuple((o.id, o.title) for o in by_item.get(item.id, ())),
                   tuple(suggested.get(item.id, ())))
            for item in found.plan.situation
        ]  # fmt: skip
        return [(kind, [p for p in placed if p.item.kind == kind]) for kind in SITUATION_KINDS]

    return found.derived(f"situation.quadrants.{space.name}", build)


@router.get("/orgs/{org}/situation", response_class=HTMLResponse)
def situation_page(request: Request, session: Db, here: Place) -> Response:
    """The current position: the four quadrants, what addresses each item, suggestions."""
    found = here.analysed(session)
    space = page_space(found, here.org.id)
    uncovered = [f for f in found.analysis.findings if f.code == "uncovered_risk"]
    context = {
        "here": here, "quadrants": quadrants(found, space), "headings": HEADINGS,
        "warming": space.name == "lexical", "uncovered": uncovered,
        "may_edit": policy.may(here.role, Act.EDIT_PLAN),
        "new_item": plan_url(here, "situation", "new"),
        "item_url": lambda key: plan_url(here, "situation", key),
        "objective_url": lambda key: f"/orgs/{here.org.slug}/objectives/{quote(key, safe='')}",
        "edit_objective": lambda key: plan_url(here, "objectives", key),
        "edit_action": lambda key: plan_url(here, "actions", key),
        "notice": _notice(request),
    }  # fmt: skip
    return render(request, "situation.html", context)


def _notice(request: Request) -> str | None:
    """What the page says after a form sent the reader back to it."""
    if "saved" in request.query_params:
        return "Saved."
    deleted = request.query_params.get("deleted", "")[:80]
    return f"Deleted {deleted}." if deleted else None


def item_of(read: Reader, key: str | None) -> SituationItem:
    """A situation item of the form (an empty id: the service gives the next of its kind)."""
    chosen = read.choice("kind", SITUATION_KINDS, "")
    kind = next((k for k in SITUATION_KINDS if k == chosen), None)
    if kind is None and "kind" not in read.problems:
        read.note("kind", "required: strength, weakness, opportunity or threat")
    key = key if key is not None else read.key("id") or ""
    return SituationItem(key, kind or "weakness", read.required("text", "line"))


def situation_choices(session: Session, here: Here) -> dict[str, Any]:
    """What the objective form's Addresses fieldset lists: the situation's items, and where
    to write them when there are none."""
    items = here.analysed(session).plan.situation
    kinds = [(HEADINGS[kind], [i for i in items if i.kind == kind]) for kind in SITUATION_KINDS]
    return {
        "situation_kinds": [(heading, listed) for heading, listed in kinds if listed],
        "situation_url": f"/orgs/{here.org.slug}/situation",
    }


def _item_context(
    session: Session, here: Here, form: Form, key: str | None, _parent: str | None
) -> dict[str, Any]:
    """The kinds to choose from, and the objectives that address the item."""
    found = here.analysed(session)
    addressed = [] if key is None else addressing(found).get(key, [])
    return {
        "kinds": SITUATION_KINDS, "page_url": f"/orgs/{here.org.slug}/situation",
        "addressed": [(o.id, o.title, plan_url(here, "objectives", o.id)) for o in addressed],
    }  # fmt: skip


ITEMS: Editable[SituationItem] = Editable(
    kind="situation item", plural="situation", template="edit_situation.html", parse=item_of,
    values=lambda state: values_of(state, ("id", "kind", "text")),
    read=lambda session, here, key: situation_service.read_item(session, org=here.org, key=key),
    create=lambda session, change, here, item, _parent: situation_service.create_item(
        session, change=change, role=here.role, item=item
    ),
    update=lambda session, change, here, item: situation_service.update_item(
        session, change=change, role=here.role, item=item
    ),
    delete=lambda session, change, here, key: situation_service.delete_item(
        session, change=change, role=here.role, key=key
    ),
    context=_item_context,
    done=lambda here, key: f"/orgs/{here.org.slug}/situation?saved={quote(key, safe='')}",
    gone=lambda here, key: f"/orgs/{here.org.slug}/situation?deleted={quote(key, safe='')}",
    blank={"kind": "weakness"}, titled="",
)  # fmt: skip
register(router, ITEMS)
