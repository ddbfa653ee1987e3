"""The current position in the pages, on SQLite and PostgreSQL: the page's quadrants, the
items' forms (CSRF, limits, versions, the refusal to delete an addressed item), the objective
form's Addresses and the action form's risk level and trigger; and the forms' pure parts.

The clinic is examples/small.yaml: s-nurses (strength), w-falls (weakness), o-alarms
(opportunity) and t-inspection (threat); T1 addresses w-falls and t-inspection."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.web.edit_values import action_values, objective_values
from hoshin.web.forms import Reader, action_of, objective_of
from hoshin.web.situation import item_of

from .web_support import clinic_pages, signed_in_as

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PAGE = "/orgs/clinic/situation"
NEW = "/orgs/clinic/plan/situation/new"


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    users = {"editor": ("editor", None), "viewer": ("viewer", None), "ben": ("contributor", "ben")}
    with clinic_pages(engine, users) as pages:
        signed_in_as(pages, "editor")
        yield pages


def section(html: str, kind: str) -> str:
    """The quadrant of ``kind`` in the page."""
    found = re.search(rf'<section class="quadrant quadrant-{kind}".*?</section>', html, re.S)
    assert found is not None, kind
    return found.group(0)


def test_the_page_shows_four_quadrants_what_addresses_each_item_and_the_gaps(
    client: TestClient,
) -> None:
    html = client.get(PAGE).text
    assert "Current position" in html
    weak = section(html, "weakness")
    assert "w-falls" in weak and "Addressed by" in weak and ">T1</a> Train 40 nurses" in weak
    assert "Addressed by no objective" not in html  # every weakness and threat is answered
    opportunity = section(html, "opportunity")
    assert "o-alarms" in opportunity and "Taken up by no objective yet" in opportunity
    assert "s-nurses" in section(html, "strength")
    assert 'action="/orgs/clinic/plan/situation/new"' in html  # an editor may add
    assert "None: every high risk of an open action has a contingency." in html


def test_a_viewer_reads_the_page_without_its_forms_and_cannot_post(client: TestClient) -> None:
    signed_in_as(client, "viewer")
    html = client.get(PAGE).text
    assert "w-falls" in html and "Add an item" not in html and "Edit<span" not in html
    answer = client.post(NEW, data={"kind": "threat", "text": "Rival"})
    assert answer.status_code == 403
    signed_in_as(client, "ben")
    assert client.get("/orgs/clinic/plan/situation/w-falls").status_code == 403


def test_an_item_is_added_with_the_next_id_of_its_kind_and_shows_as_a_gap(
    client: TestClient,
) -> None:
    answer = client.post(NEW, data={"kind": "threat", "text": "A new clinic opens nearby"})
    assert answer.status_code == 200 and answer.url.path == PAGE  # after the redirect
    html = answer.text
    assert "Saved." in html
    threat = section(html, "threat")
    # no T-numbered threat yet: T1, but T1 is an objective's id (it would read as one): T2
    assert '<span class="item-id">T2</span> A new clinic opens nearby' in threat
    assert "Addressed by no objective" in threat
    again = client.post(NEW, data={"kind": "threat", "text": "Winter flu"})
    assert '<span class="item-id">T3</span> Winter flu' in again.text


def test_a_bad_item_is_refused_at_its_field_and_nothing_is_saved(client: TestClient) -> None:
    empty = client.post(NEW, data={"kind": "threat", "text": ""})
    assert empty.status_code == 422 and "Nothing was saved" in empty.text
    long = client.post(NEW, data={"kind": "threat", "text": "x" * 301})
    assert long.status_code == 422 and "at most 300" in long.text
    odd = client.post(NEW, data={"kind": "risk", "text": "Rain"})
    assert odd.status_code == 422 and "must be one of strength" in odd.text
    taken = client.post(NEW, data={"id": "w-falls", "kind": "weakness", "text": "Again"})
    assert taken.status_code == 422
    assert "w-falls is an item of the situation already" in taken.text
    control = client.post(NEW, data={"kind": "threat", "text": "bad\x07bell"})
    assert control.status_code == 422
    assert "Rain" not in client.get(PAGE).text


def test_a_form_without_the_csrf_token_is_refused(engine: Engine) -> None:
    with clinic_pages(engine, {"editor": ("editor", None)}) as client:
        signed_in_as(client, "editor")
        client.event_hooks = {"request": [], "response": []}  # no token any more
        answer = client.post(NEW, data={"kind": "threat", "text": "Rival"})
        assert answer.status_code == 403


def test_an_item_is_changed_at_the_version_read_and_a_stale_form_says_so(
    client: TestClient,
) -> None:
    form = client.get("/orgs/clinic/plan/situation/o-alarms").text
    assert 'name="version" value="1"' in form and "Taken up" not in form
    url = "/orgs/clinic/plan/situation/o-alarms"
    saved = client.post(url, data={"version": "1", "kind": "opportunity", "text": "Cheap alarms"})
    assert saved.url.path == PAGE and "Cheap alarms" in saved.text
    stale = client.post(url, data={"version": "1", "kind": "threat", "text": "Old"})
    assert stale.status_code == 409 and "Changed by someone else meanwhile" in stale.text


def test_an_addressed_item_is_not_deleted_and_a_free_one_is(client: TestClient) -> None:
    refused = client.post("/orgs/clinic/plan/situation/w-falls/delete", data={"version": "1"})
    assert refused.status_code == 409
    assert "it is still addressed by objectives T1" in refused.text
    done = client.post("/orgs/clinic/plan/situation/o-alarms/delete", data={"version": "1"})
    assert done.url.path == PAGE and "Deleted o-alarms." in done.text
    assert "o-alarms" not in section(done.text, "opportunity")


def test_the_objective_form_ticks_the_items_it_addresses_and_saves_them(
    client: TestClient,
) -> None:
    form = client.get("/orgs/clinic/plan/objectives/T1").text
    assert 'name="address:w-falls" type="checkbox" value="on" checked' in form
    assert 'name="address:o-alarms" type="checkbox" value="on">' in form
    fields = {
        "version": "1", "title": "Train 40 nurses in fall prevention by September 2026",
        "level": "team", "owner": "ben", "unit": "ward-a", "start": "2026-01", "end": "2026-09",
        "tolerance": "0.1", "supports-0-id": "A1", "supports-0-weight": "1",
        "supports-0-strength": "medium", "address:o-alarms": "on",
    }  # fmt: skip
    saved = client.post("/orgs/clinic/plan/objectives/T1", data=fields)
    assert saved.status_code == 200, saved.text
    html = client.get(PAGE).text
    assert ">T1</a>" in section(html, "opportunity")
    # w-falls and t-inspection are now answered by none: two warnings
    assert html.count("Addressed by no objective") == 2


def test_the_action_form_keeps_a_risks_level_and_trigger(client: TestClient) -> None:
    form = client.get("/orgs/clinic/plan/actions/a2").text
    assert '<option value="medium" selected>medium</option>' in form
    assert 'value="Two night shifts in a week without a huddle"' in form


# --- the forms' pure parts -----------------------------------------------------------------------


def test_an_items_form_reads_kind_id_and_text() -> None:
    read = Reader({"id": "", "kind": "threat", "text": "  Rival  "})
    item = item_of(read, None)
    assert (read.problems, item.id, item.kind, item.text) == ({}, "", "threat", "Rival")
    missing = Reader({"text": "Rival"})
    item_of(missing, "T1")
    assert missing.problems == {"kind": ["required: strength, weakness, opportunity or threat"]}


def test_ticked_addresses_are_read_in_form_order_and_written_back() -> None:
    read = Reader({"title": "Do", "level": "team", "address:W2": "on", "address:W1": "on",
                   "address:bad id": "on"})  # fmt: skip
    objective = objective_of(read, "T9")
    assert objective.addresses == ("W2", "W1")
    assert list(read.problems) == ["addresses"]
    values = objective_values({"id": "T9", "addresses": ["W1"]})
    assert values["address:W1"] == "on" and "address:W2" not in values


def test_a_risk_row_reads_its_level_and_trigger() -> None:
    read = Reader({
        "title": "Do", "risks-0-risk": "Late", "risks-0-level": "high",
        "risks-0-trigger": "No sample", "risks-new-risk": "", "risks-new-trigger": "Rain",
        "risks-1-risk": "Strike", "risks-1-level": "severe",
    })  # fmt: skip
    action = action_of(read, "x1")
    assert [(r.risk, r.level, r.trigger) for r in action.risks] == [
        ("Late", "high", "No sample"),
        ("Strike", None, None),
    ]
    assert read.problems == {
        "risks-1-level": ["must be one of low, medium, high"],
        "risks-new-risk": ["a trigger needs the risk it answers"],
    }
    values = action_values({"risks": [{"risk": "Late", "level": "high", "trigger": "No sample"}]})
    assert (values["risks-0-level"], values["risks-0-trigger"]) == ("high", "No sample")
