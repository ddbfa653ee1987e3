"""What every route that changes the plan shares: If-Match, 201 with ETag and Location,
pages, and the models' common field types."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Header, Path, Query, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hoshin.api.deps import etag, version_of
from hoshin.domain.months import Month
from hoshin.domain.text import LONGEST, PATTERN
from hoshin.errors import InvalidInput
from hoshin.fields import ID_PATTERN, PERIOD_PATTERN, Id, period_of
from hoshin.fields import Day as IsoDay
from hoshin.runtime.sessions import Session
from hoshin.service import search
from hoshin.service.asker import Asker
from hoshin.service.versioned import Change

PERIOD = PERIOD_PATTERN
TEXT_PATTERN = PATTERN[False]
Filter = Annotated[str | None, Query(max_length=LONGEST["id"], pattern=ID_PATTERN)]
Day = Annotated[IsoDay, Field(description="A day, YYYY-MM-DD.")]
Number = Annotated[float, Field(allow_inf_nan=False)]
IfMatch = Annotated[
    str | None,
    Header(description='The version read (its ETag): "3".', pattern=r'^(W/)?"?[0-9]{1,18}"?$'),
]
Key = Annotated[
    str,
    Path(description="The entity's id in the plan.", max_length=LONGEST["id"], pattern=ID_PATTERN),
]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]
# Every route of an organisation: who is asking, and whether the organisation and id exist.
READS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid session cookie or API token"},
    404: {"description": "No such organisation for the asker, or no such id in it"},
}
CHANGES: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body is not JSON"},
    403: {"description": "The asker's role may not do this"},
    409: {"description": "Other entities still refer to it, or the id was just taken"},
    412: {"description": "Changed by someone else: the body's detail is the current state"},
    422: {"description": "A rule or reference is broken: detail names each field"},
    428: {"description": "Changing an existing entity needs If-Match"},
}


def _unique(items: list[str]) -> list[str]:
    repeated = sorted({item for item in items if items.count(item) > 1})
    if repeated:
        raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return items


Ids = Annotated[list[Id], AfterValidator(_unique)]


class Body(BaseModel):
    """A request body: unknown fields are errors (a typo must not drop data silently)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def change_of(org: Asker, if_match: str | None = None) -> Change:
    """The change the asker makes in the organisation, at the version they read."""
    return Change(org.org, org.who, version_of(if_match))


def key_of(path_key: str, body_key: str | None) -> str:
    """The entity's id: the path's; a body that names another id is refused."""
    if body_key is not None and body_key != path_key:
        raise InvalidInput(
            f"the id cannot change ({path_key} -> {body_key}): create a new one and delete this",
            [{"field": "id", "reason": f"must be {path_key}, the id in the path"}],
        )
    return path_key


def month(text: str | None, field: str) -> Month | None:
    """A month of the request (already in the YYYY-MM pattern), or None."""
    return None if text is None else period(text, field)


def period(text: str, field: str) -> Month:
    """A month of the request; InvalidInput naming ``field`` when it is outside the calendar."""
    return period_of(text, field)


MADE_ID = (
    "The new entity's id. Left out, one is made from its title (a person's, a unit's or a "
    "metric's name) and kept unique in the plan: 'Réduire les défauts' is reduire-les-defauts, "
    "or reduire-les-defauts-2 when that is taken. The answer and its Location give it."
)


def new_key(session: Session, org: Asker, key: str | None, title: str, kind: str) -> str:
    """A new entity's id: the body's, or one made from its title (service.search.new_key)."""
    if key is not None:
        return key
    return search.new_key(session, org=org.org, title=title, fallback=kind)


def created(response: Response, state: dict[str, Any], location: str) -> dict[str, Any]:
    """A 201 answer: ETag of the new entity and where to read it."""
    response.status_code = 201
    response.headers["ETag"] = etag(state["version"])
    response.headers["Location"] = location
    return state


def tagged(response: Response, state: dict[str, Any]) -> dict[str, Any]:
    """An answer with the entity's ETag."""
    response.headers["ETag"] = etag(state["version"])
    return state


def page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    """A page of a list."""
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def at(org: Asker, plural: str, key: str) -> str:
    """The URL of an entity of the organisation."""
    return f"/api/v1/orgs/{org.org.slug}/{plural}/{quote(key, safe='')}"
