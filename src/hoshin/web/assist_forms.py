"""Where an objective being typed belongs: the objectives of the level above, ranked, with
why (the objective form's and the catchball form's "Where does this belong?")."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from hoshin.domain.assist.parents import LEVEL_ABOVE, Candidate, ParentSuggestion
from hoshin.domain.model import LEVELS, Level
from hoshin.domain.text import text_problem
from hoshin.runtime.assist_spaces import plan_space
from hoshin.runtime.sessions import Session
from hoshin.service.analysis import Analysed
from hoshin.service.assist import suggest
from hoshin.web.deps import Here

TOP = 3  # parents a form suggests
NO_TITLE = "Type a title: the objectives it most plausibly supports are suggested here."


@dataclass(frozen=True, slots=True)
class Parents:
    """What the "Where does this belong?" box shows: the suggestions, the space they come
    from ("lexical" while the plan's model space is being computed), or why there are none."""

    suggestions: tuple[ParentSuggestion, ...] = ()
    space: str = "model"
    note: str | None = NO_TITLE


def suggested_parents(
    found: Analysed,
    *,
    title: str,
    level: str,
    unit: str = "",
    key: str = "",
    org: Hashable = None,
    top: int = TOP,
) -> Parents:
    """The objectives of the level above that an objective titled ``title`` most plausibly
    supports (``key``: the plan's objective being edited, itself and its links left out;
    ``org``: whose plan, for the space cache)."""
    title = title.strip()
    if not title or text_problem(title, "line") is not None:
        return Parents()
    chosen: Level = next((lv for lv in LEVELS if lv == level), "annual")
    above = LEVEL_ABOVE.get(chosen)
    if above is None:
        return Parents(note="A breakthrough objective supports no other: it traces to the vision.")
    known = found.objective(key) if key else None
    metrics = tuple(m.name for m in known[0].metrics) if known else ()
    candidate = Candidate(title, chosen, unit.strip() or None, None, metrics, key or None)
    space = plan_space(found, org=org)
    if space is None:  # the model's vectors are being computed: the words meanwhile
        space = suggest.words_space(found.plan, chosen, candidate.text())
    found_parents = suggest.parents_for(found.plan, candidate, top=top, space=space)
    if not found_parents:
        return Parents(space=space.name, note=f"The plan has no {above} objective yet.")
    return Parents(tuple(found_parents), space.name, None)


def assist_url(here: Here, path: str, **params: str | None) -> str:
    """The address of an assistant's route under /orgs/{org}/assist/ with ``params`` (those
    None left out), as of the page's day."""
    query = {name: value for name, value in params.items() if value}
    if here.query():
        query["as_of"] = here.as_of.isoformat()
    return f"/orgs/{here.org.slug}/assist/{path}" + (f"?{urlencode(query)}" if query else "")


def parents_url(here: Here, fill: str, key: str | None = None) -> str:
    """The address of the parents' list for the form field ``fill`` (``key``: the objective
    edited)."""
    return assist_url(here, "parents", fill=fill, key=key)


def form_parents(
    session: Session, here: Here, values: Mapping[str, str], key: str | None
) -> Parents:
    """The parents suggested for the objective typed in a form (its title, level and unit)."""
    return suggested_parents(
        here.analysed(session), title=values.get("title", ""), level=values.get("level", ""),
        unit=values.get("unit", ""), key=key or "", org=here.org.id,
    )  # fmt: skip
