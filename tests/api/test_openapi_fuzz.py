"""Schemathesis against the API's own OpenAPI schema, on SQLite and PostgreSQL.

Each operation gets a bounded, derandomized set of generated requests, valid and invalid
ones, sent as the editor of 'clinic' (``asker`` names the exceptions). No request may make
a server error, and every answer must be one the schema describes: documented status code,
content type, headers and body; valid data accepted, invalid data rejected. The server
errors it has found stay below as fixed requests, sent every run.

Schemathesis' own pytest integration (`schema.parametrize()`) fails on pytest 9.2 (it
reads `Node._nodeid`, which this pytest no longer has), so the cases are drawn with
Hypothesis from `APIOperation.as_strategy`, sent through the seeded app's test client and
checked with `Case.validate_response`.
"""

from __future__ import annotations

import zlib
from typing import Any

import pytest
import requests
import schemathesis
from api_support import Seeded
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.hooks import HookContext, HookDispatcher, HookScope
from sqlalchemy.orm import sessionmaker

from hoshin.api.app import create_app

pytestmark = pytest.mark.usefixtures("cheap_hashing")

# A request the schema allows may still break the plan's rules (422), name a stale version
# (412) or change an entity without If-Match (428): schemathesis' check that valid data is
# accepted allows those answers too.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": [
                    *("2xx", "3xx", "401", "403", "404", "409", "429", "5xx"),  # its defaults
                    *("412", "422", "428"),
                ]
            }
        }
    }
)
# The schema does not depend on the database: take it from an app without one.
SCHEMA = schemathesis.openapi.from_dict(create_app(sessionmaker()).openapi(), config=CONFIG)
Operation = APIOperation[Any, Any, Any, Any]
EXAMPLES = 25  # requests per operation, valid and invalid ones
BASE_URL = "http://testserver"

# Ids of the seeded plan (examples/small.yaml) by the collection in the path. A generated
# id almost never names anything, so nearly every request would stop at a 404: each
# generated id is mapped to one of these, or kept, by its checksum (deterministic, so that
# a derandomized run sends the same requests every time).
KNOWN: dict[str, tuple[str, ...]] = {
    "orgs": ("clinic", "clinic", "clinic", "other"),
    "objectives": ("B1", "A1", "T1"),
    "metrics": ("falls", "huddles", "trained"),
    "actions": ("a1", "a2", "a3"),
    "units": ("clinic", "ward-a"),
    "people": ("ana", "ben"),
    "countermeasures": ("cm1",),
    "situation": ("w-falls", "o-alarms", "t-inspection"),
}


def known_ids(
    context: HookContext, path_parameters: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Most generated ids replaced by ids of the seeded plan."""
    if path_parameters is None or context.operation is None:
        return path_parameters
    segments = context.operation.path.split("/")
    mapped = dict(path_parameters)
    for name, value in path_parameters.items():
        where = segments.index(f"{{{name}}}")
        collection = segments[where - 1]
        if collection.startswith("{"):  # /{kind}/{key}: the kind names the collection
            collection = str(path_parameters.get(collection.strip("{}")))
        choices = KNOWN.get(collection)
        if choices is not None and isinstance(value, str):
            pick = zlib.crc32(value.encode()) % (len(choices) + 1)
            if pick < len(choices):
                mapped[name] = choices[pick]
    return mapped


HOOKS = HookDispatcher(scope=HookScope.SCHEMA)
HOOKS.register_hook_with_name(known_ids, "map_path_parameters")


def operations() -> list[Operation]:
    """Every operation of the schema (a malformed one fails the test)."""
    found = []
    for result in SCHEMA.get_all_operations():
        assert isinstance(result, Ok), result.err()
        found.append(result.ok())
    return found


def test_no_server_error_and_every_answer_as_documented(
    api: Seeded, subtests: pytest.Subtests
) -> None:
    # One seeded app for every operation (building one costs more than fuzzing one
    # operation); each operation is a subtest, reported on its own.
    for operation in operations():
        with subtests.test(msg=operation.label):
            fuzz(api, operation)


def asker(operation: Operation) -> str:
    """Who sends the requests: the editor; an admin for members and single sign-on (the
    editor would only be refused); the viewer for revoking tokens (the editor could revoke
    their own token and leave every later operation at 401)."""
    if "/me/tokens/" in operation.path:
        return "viewer"
    admins = "/members" in operation.path or operation.path.endswith("/sso")
    return "admin" if admins else "editor"


def fuzz(api: Seeded, operation: Operation) -> None:
    """Sends generated requests for ``operation``; fails on the first server error, or at
    the end when some answer did not match the schema.

    A server error fails at once, with the server's traceback (the seeded client raises
    it) and the request as curl, and Hypothesis shrinks it. An answer that does not match
    the schema is kept aside so that it cannot hide a server error.
    """
    auth = {"authorization": f"Bearer {api.tokens[asker(operation)]}"}
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, headers=auth, hooks=HOOKS),
        operation.as_strategy(GenerationMode.NEGATIVE, headers=auth, hooks=HOOKS),
    )
    mismatches: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def check(case: Case[Operation]) -> None:
        request = case.as_transport_kwargs(base_url=BASE_URL)
        note(case.as_curl_command(base_url=BASE_URL))
        response = api.client.request(**as_httpx(request))
        case.validate_response(response, checks=[not_a_server_error], transport_kwargs=request)
        try:
            case.validate_response(
                response, excluded_checks=[not_a_server_error], transport_kwargs=request
            )
        except FailureGroup as failures:
            mismatches.append(str(failures))

    check()
    if mismatches:
        pytest.fail(
            f"{operation.label}: answers not as the schema says: {len(mismatches)}; "
            f"the first:\n\n{mismatches[0]}",
            pytrace=False,
        )


# Requests the fuzzer once found to fail with a server error on PostgreSQL (its text
# cannot hold NUL); kept here so that they are sent every run, whatever it generates.
NUL_REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/api/v1/orgs/%00/analysis", {}),
    ("GET", "/api/v1/orgs/clinic/objectives", {"params": {"unit": "\x00"}}),
    ("GET", "/api/v1/orgs/clinic/objectives", {"params": {"owner": "\x00"}}),
    ("GET", "/api/v1/orgs/clinic/objectives/%00", {}),
    ("GET", "/api/v1/orgs/clinic/metrics/%00/actuals/2026-05", {}),
    ("PUT", "/api/v1/orgs/clinic/metrics/%00/actuals/2026-05", {"json": {"value": 1}}),
    ("POST", "/api/v1/orgs/clinic/actuals",
     {"json": {"actuals": [{"metric": "\x00", "period": "2026-05", "value": 1}]}}),
    ("POST", "/api/v1/session", {"json": {"email": "\x00", "password": "x"}}),
]  # fmt: skip


def test_a_nul_character_in_a_request_is_not_a_server_error(api: Seeded) -> None:
    with TestClient(api.client.app, raise_server_exceptions=False) as client:
        failed = [
            f"{method} {url} {options}"
            for method, url, options in NUL_REQUESTS
            if client.request(method, url, headers=api.headers("editor"), **options).status_code
            >= 500
        ]
    assert not failed, "server errors:\n" + "\n".join(failed)


def as_httpx(request: dict[str, Any]) -> dict[str, Any]:
    """Schemathesis' requests-style arguments as the test client's (httpx) arguments."""
    known = {"method", "url", "headers", "params", "json", "data", "cookies", "files"}
    assert not set(request) - known, f"cannot send {set(request) - known} with the test client"
    sent = {key: request[key] for key in ("method", "url", "headers", "params")}
    if "json" in request:
        sent["json"] = request["json"]
    if request.get("files"):  # a file upload: its multipart body written out, with its boundary
        upload = requests.Request(
            "POST", request["url"], files=request["files"], data=request.get("data")
        ).prepare()  # as Schemathesis (requests-style) would send it
        headers = {k: v for k, v in sent["headers"].items() if k.lower() != "content-type"}
        sent["headers"] = {**headers, "Content-Type": upload.headers["Content-Type"]}
        sent["content"] = upload.body
    elif "data" in request:
        sent["content"] = request["data"]
    if request.get("cookies"):
        cookie = "; ".join(f"{name}={value}" for name, value in request["cookies"].items())
        sent["headers"] = {**sent["headers"], "Cookie": cookie}
    return sent
