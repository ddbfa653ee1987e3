"""SCIM 2.0 provisioning (RFC 7644) at /scim/v2: a directory's bearer token names the
organisation; Users are its members, Groups its directory's groups (service.scim,
service.scim_groups). Answers are application/scim+json; every error, routing's own 404 and
405 included, is a SCIM error body (RFC 7644 3.12), never hoshin's own JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    Group,
    InvalidSyntaxException,
    InvalidValueException,
    ListResponse,
    NotImplementedException,
    PatchOp,
    PayloadTooLargeException,
    ResourceType,
    ResponseParameters,
    Schema,
    SCIMException,
    SearchRequest,
    UnauthorizedException,
)
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match, Route

from hoshin.api.deps import now
from hoshin.config import settings
from hoshin.errors import HoshinError
from hoshin.guard.client import origin_of
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.runtime.sessions import (
    DATABASE_ERROR,
    READS,
    REFUSED_AT_COMMIT,
    Session,
    in_own_transaction,
    new_request_session,
)
from hoshin.service import scim, scim_directory, scim_discovery, scim_groups
from hoshin.service.scim import ScimUser
from hoshin.service.scim_directory import POLICY, Directory

MEDIA_TYPE: Final = "application/scim+json"
BODY_LIMIT: Final = 1_000_000  # a group of 10,000 members' ids fits well below
Work = Callable[[Session, Directory], Any]
# scimType for what pydantic (through scim2-models) says is wrong with a body.
_SCIM_TYPES: Final = {"invalidValue", "mutability", "uniqueness", "invalidPath", "noTarget",
                      "invalidSyntax", "invalidFilter", "sensitive", "tooMany"}  # fmt: skip


def scim_error(status: int, detail: str, scim_type: str | None = None) -> Response:
    """A SCIM error answer (with WWW-Authenticate for a 401)."""
    body = Error(status=status, scim_type=scim_type, detail=detail[:1000])
    headers = {"WWW-Authenticate": 'Bearer realm="hoshin SCIM"'} if status == 401 else None
    return _json(body.model_dump(), status, headers)


def error_answer(error: Exception) -> Response:
    """The SCIM error of anything a SCIM route raised."""
    if isinstance(error, SCIMException):
        found = error.to_error()
        return scim_error(int(found.status or 400), found.detail or "", found.scim_type)
    if isinstance(error, ValidationError):
        return _validation_error(error)
    if isinstance(error, HoshinError):
        kind = {409: "uniqueness", 400: "invalidValue", 422: "invalidValue"}.get(error.status)
        return scim_error(400 if error.status == 422 else error.status, error.message, kind)
    if isinstance(error, REFUSED_AT_COMMIT):
        return scim_error(409, "another change was saved meanwhile: read it again and retry")
    if isinstance(error, DATABASE_ERROR):
        return scim_error(503, "the database is not reachable now: retry")
    if isinstance(error, ValueError | TypeError):  # a value scim2-models could not apply
        return scim_error(400, str(error) or "a value is invalid", "invalidValue")
    raise error


def _validation_error(error: ValidationError) -> Response:
    first = error.errors()[0]
    place = ".".join(str(part) for part in first["loc"]) or "body"
    kind = first["type"]
    if kind == "extra_forbidden":
        return scim_error(400, f"{place}: no such attribute", "invalidSyntax")
    reason = str(first["msg"]).removeprefix("Value error, ")
    return scim_error(400, f"{place}: {reason}", kind if kind in _SCIM_TYPES else "invalidValue")


class ScimRoute(OneThreadRoute):
    """A SCIM route: its endpoint and its commit in one thread hand-off, as every API
    route's (runtime.one_thread); whatever it raises, at the commit too, is answered as a
    SCIM error."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        """The route's handler, its errors answered as SCIM errors."""
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                answer: Response = await handler(request)
            except Exception as error:
                return error_answer(error)
            return answer

        return route


router = APIRouter(route_class=ScimRoute, include_in_schema=False)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status, headers=headers, media_type=MEDIA_TYPE)


def _base_url() -> str:
    return settings().base_url.rstrip("/") + "/scim/v2"


async def _run(request: Request, work: Work) -> Any:
    """``work`` for the directory whose token the request shows, in the request's own
    session, committed; UnauthorizedException without a valid token."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedException(detail="send Authorization: Bearer <a hoshin SCIM token>")
    return await run_in_threadpool(_in_session, request, token.strip(), work)


def _in_session(request: Request, token: str, work: Work) -> Any:
    sessions = request.app.state.sessions
    moment = now()
    with new_request_session(sessions, request.method) as session:
        found = scim_directory.directory(
            session, token=token, now=moment, origin=origin_of(request), base_url=_base_url()
        )
        if found is None:
            raise UnauthorizedException(detail="the SCIM token is unknown or revoked")
        directory, due = found
        if due and request.method in READS:  # a read does not become a writer for a note
            note = scim_directory.note_use
            in_own_transaction(sessions, lambda s: note(s, token_id=directory.token_id, now=moment))
        elif due:
            scim_directory.note_use(session, token_id=directory.token_id, now=moment)
        result = work(session, directory)
        session.commit()
    return result


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > BODY_LIMIT:
        raise PayloadTooLargeException(detail=f"the body is larger than {BODY_LIMIT} bytes")
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise InvalidSyntaxException(detail="the body is not JSON") from None
    if not isinstance(parsed, dict):
        raise InvalidSyntaxException(detail="the body is not a JSON object")
    return parsed


def _int(request: Request, name: str) -> int | None:
    text = request.query_params.get(name)
    if text is None or not text.strip():
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidValueException(detail=f"{name} '{text[:50]}' is not a number") from None


def _parameters(model: Any, request: Request) -> ResponseParameters[Any]:
    query = request.query_params
    return ResponseParameters[model].model_validate(
        {
            "attributes": query.get("attributes"),
            "excludedAttributes": query.get("excludedAttributes"),
        }
    )


def _resource_answer(
    resource: Any,
    request: Request,
    status: int = 200,
    ctx: Context = Context.RESOURCE_QUERY_RESPONSE,
) -> Response:
    model = type(resource)
    body = resource.model_dump(scim_ctx=ctx, response_parameters=_parameters(model, request))
    headers = {"ETag": resource.meta.version}
    if status == 201:
        headers["Location"] = resource.meta.location
    return _json(body, status, headers)


def _list_answer(found: ListResponse[Any], parameters: ResponseParameters[Any]) -> Response:
    body = found.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters)
    return _json(body)


# Users and Groups have the same routes; these tell them apart.
_MODELS: Final[dict[str, Any]] = {"Users": ScimUser, "Groups": Group}


@router.get("/Users")
@router.get("/Groups")
async def list_resources(request: Request) -> Response:
    """A page of the directory's Users or Groups (filter, startIndex, count)."""
    kind = request.url.path.rstrip("/").rpartition("/")[2]
    model = _MODELS[kind]
    parameters = _parameters(model, request)
    query = request.query_params.get("filter")
    start, count = _int(request, "startIndex") or 1, _int(request, "count")
    lister = scim.list_users if kind == "Users" else scim_groups.list_groups
    found = await _run(
        request, lambda s, d: lister(s, d, query=query, start_index=start, count=count)
    )
    return _list_answer(found, parameters)


@router.post("/Users/.search")
@router.post("/Groups/.search")
async def search_resources(request: Request) -> Response:
    """list_resources with the query in a SearchRequest body (RFC 7644 3.4.3)."""
    kind = request.url.path.rstrip("/").split("/")[-2]
    model = _MODELS[kind]
    body = await _body(request)
    search = SearchRequest[model].model_validate(body, scim_policy=POLICY)  # type: ignore[valid-type]
    query = None if search.filter is None else str(search.filter)
    start, count = search.start_index or 1, search.count
    lister = scim.list_users if kind == "Users" else scim_groups.list_groups
    found = await _run(
        request, lambda s, d: lister(s, d, query=query, start_index=start, count=count)
    )
    return _list_answer(found, search)


@router.post("/Users")
@router.post("/Groups")
async def create_resource(request: Request) -> Response:
    """A new User (a member) or Group; 201 with its Location and ETag."""
    kind = request.url.path.rstrip("/").rpartition("/")[2]
    model = _MODELS[kind]
    body = await _body(request)
    resource = model.model_validate(
        body, scim_ctx=Context.RESOURCE_CREATION_REQUEST, scim_policy=POLICY
    )
    creator: Any = scim.create_user if kind == "Users" else scim_groups.create_group
    made = await _run(request, lambda s, d: creator(s, d, resource=resource))
    return _resource_answer(made, request, 201, Context.RESOURCE_CREATION_RESPONSE)


@router.get("/Users/{item}")
@router.get("/Groups/{item}")
async def read_resource(request: Request, item: str) -> Response:
    """One User or Group, with its ETag."""
    if request.url.path.split("/")[-2] == "Users":
        found = await _run(request, lambda s, d: scim.get_user(s, d, user_id=item))
    else:
        found = await _run(request, lambda s, d: scim_groups.get_group(s, d, group_id=item))
    return _resource_answer(found, request)


@router.put("/Users/{item}")
@router.put("/Groups/{item}")
async def replace_resource(request: Request, item: str) -> Response:
    """The User or Group replaced (If-Match: 412 when it changed meanwhile)."""
    users = request.url.path.split("/")[-2] == "Users"
    body = await _body(request)
    if_match = request.headers.get("if-match")
    ctx = Context.RESOURCE_REPLACEMENT_REQUEST
    if users:
        user = ScimUser.model_validate(body, scim_ctx=ctx, scim_policy=POLICY)
        found = await _run(
            request,
            lambda s, d: scim.replace_user(s, d, user_id=item, resource=user, if_match=if_match),
        )
    else:
        group = Group.model_validate(body, scim_ctx=ctx, scim_policy=POLICY)
        found = await _run(
            request,
            lambda s, d: scim_groups.replace_group(
                s, d, group_id=item, resource=group, if_match=if_match
            ),
        )
    return _resource_answer(found, request, ctx=Context.RESOURCE_REPLACEMENT_RESPONSE)


@router.patch("/Users/{item}")
@router.patch("/Groups/{item}")
async def patch_resource(request: Request, item: str) -> Response:
    """The User or Group changed by a PatchOp's operations (If-Match honoured)."""
    users = request.url.path.split("/")[-2] == "Users"
    body = await _body(request)
    if_match = request.headers.get("if-match")
    ctx = Context.RESOURCE_PATCH_REQUEST
    if users:
        user_patch = PatchOp[ScimUser].model_validate(body, scim_ctx=ctx, scim_policy=POLICY)
        found = await _run(
            request,
            lambda s, d: scim.patch_user(s, d, user_id=item, patch=user_patch, if_match=if_match),
        )
    else:
        group_patch = PatchOp[Group].model_validate(body, scim_ctx=ctx, scim_policy=POLICY)
        # RFC 7644 3.5.2: no attributes asked for, 204: no group of thousands built for it
        asked = {"attributes", "excludedAttributes"} & request.query_params.keys()
        found = await _run(
            request,
            lambda s, d: scim_groups.patch_group(
                s, d, group_id=item, patch=group_patch, if_match=if_match, answer=bool(asked)
            ),
        )
        if found is None:
            return Response(status_code=204)
    return _resource_answer(found, request, ctx=Context.RESOURCE_PATCH_RESPONSE)


@router.delete("/Users/{item}")
@router.delete("/Groups/{item}")
async def delete_resource(request: Request, item: str) -> Response:
    """The membership (User) or group goes; 204."""
    if_match = request.headers.get("if-match")
    if request.url.path.split("/")[-2] == "Users":
        await _run(request, lambda s, d: scim.delete_user(s, d, user_id=item, if_match=if_match))
    else:
        await _run(
            request,
            lambda s, d: scim_groups.delete_group(s, d, group_id=item, if_match=if_match),
        )
    return Response(status_code=204)


@router.get("/ServiceProviderConfig")
async def service_provider_config(request: Request) -> Response:
    """What the service supports."""
    found = await _run(request, lambda s, d: scim_discovery.service_provider_config(d.base_url))
    return _json(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@router.get("/ResourceTypes")
@router.get("/Schemas")
async def list_discovery(request: Request) -> Response:
    """The resource types or the schemas, as a ListResponse."""
    schemas = request.url.path.rstrip("/").endswith("/Schemas")
    lister: Any = scim_discovery.schemas if schemas else scim_discovery.resource_types
    items = await _run(request, lambda s, d: lister(d.base_url))
    model = Schema if schemas else ResourceType
    found = ListResponse[model](  # type: ignore[valid-type]
        total_results=len(items), start_index=1, items_per_page=len(items), resources=items
    )
    return _json(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@router.get("/ResourceTypes/{item}")
@router.get("/Schemas/{item}")
async def read_discovery(request: Request, item: str) -> Response:
    """One resource type (by name) or schema (by URN); 404 for any other."""
    schemas = request.url.path.split("/")[-2] == "Schemas"
    lister: Any = scim_discovery.schemas if schemas else scim_discovery.resource_types
    items = await _run(request, lambda s, d: lister(d.base_url))
    found = next((i for i in items if i.id == item), None)
    if found is None:
        return scim_error(404, f"no {'schema' if schemas else 'resource type'} {item[:100]}")
    return _json(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@router.post("/.search")
async def search_everything(request: Request) -> Response:
    """A search of every resource type at once (RFC 7644 3.4.3), which hoshin does not do:
    501, as the RFC has it."""
    raise NotImplementedException(detail="search /Users/.search or /Groups/.search")


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])
async def elsewhere(request: Request, rest: str) -> Response:
    """Routing's 404 and 405 as SCIM errors: nothing else of SCIM is at this path, or not
    with this method."""
    # The router's own routes, matched on the path under /scim/v2 (FastAPI keeps an
    # included router's routes apart from the app's list).
    scope = {**request.scope, "path": "/" + rest, "root_path": ""}
    allowed: set[str] = set()
    for route in router.routes:
        if (
            isinstance(route, Route)
            and route.endpoint is not elsewhere
            and route.methods
            and route.matches(scope)[0] != Match.NONE
        ):
            allowed |= route.methods
    if allowed:
        answer = scim_error(405, f"{request.method} is not allowed here")
        answer.headers["Allow"] = ", ".join(sorted(allowed))
        return answer
    return scim_error(404, f"nothing at {request.url.path[:200]}")
