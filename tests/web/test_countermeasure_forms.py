"""The objective page's forms without a browser, on SQLite and PostgreSQL: add a
countermeasure, an action and a metric in place; move a countermeasure on and close it with
its effect; see the overdue one flagged, on the objective page and the monthly review.

examples/small.yaml as of 2026-07-10: cm1 answers trained (T1, ben's) in 2026-05, owner ana,
due 2026-06-30 and open, so it is overdue (30 June < 10 July). trained goes from 0 in
2026-01 to 40 in 2026-09, 5 a month: plan 15 in 2026-04 and 20 in 2026-05, actuals 8 and 10,
(8 - 15) / 40 = -0.175 and (10 - 20) / 40 = -0.25, both beyond the tolerance of 0.1: red. So
T1's latest red month is trained's 2026-05, which the add form offers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from .web_support import clinic_pages, signed_in_as

AS_OF = "?as_of=2026-07-10"
T1 = f"/orgs/clinic/objectives/T1{AS_OF}"
HTMX = {"HX-Request": "true"}
USERS = {"ben": ("contributor", "ben"), "ed": ("editor", None), "vic": ("viewer", None)}


@pytest.fixture
def pages(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    """examples/small.yaml as 'clinic', with ben (contributor), ed (editor), vic (viewer)."""
    with clinic_pages(engine, USERS) as client:
        yield client


def test_overdue_countermeasure_is_flagged_and_closed_with_its_effect(pages: TestClient) -> None:
    signed_in_as(pages, "ben")  # T1 is ben's: he answers its metrics' countermeasures
    page = pages.get(T1)
    assert 'id="cm-cm1"' in page.text and "overdue since 2026-06-30" in page.text
    form = pages.get(f"/orgs/clinic/countermeasures/cm1?back=/orgs/clinic/objectives/T1{AS_OF}")
    assert 'name="effect"' in form.text and 'value="1"' in form.text  # the version read
    fields = {"version": "1", "back": f"/orgs/clinic/objectives/T1{AS_OF}",
              "metric": "trained", "period": "2026-05", "cause": "Trainers on leave",
              "action": "Borrow a trainer", "owner": "Ana Lima", "due": "2026-06-30"}  # fmt: skip
    started = pages.post(
        "/orgs/clinic/countermeasures/cm1", data=fields | {"status": "in_progress"}
    )
    assert started.url.path == "/orgs/clinic/objectives/T1"  # redirected back
    assert "in progress" in started.text and "overdue since 2026-06-30" in started.text
    # Closing without the effect: refused at the field (no JavaScript: 422, the form again).
    unsaid = pages.post("/orgs/clinic/countermeasures/cm1", data=fields | {
        "version": "2", "status": "closed"})  # fmt: skip
    assert unsaid.status_code == 422
    assert "say what it changed: a countermeasure is closed with its effect" in unsaid.text
    closed = pages.post(
        "/orgs/clinic/countermeasures/cm1",
        data=fields | {"version": "2", "status": "closed", "effect": "9 more trained in June"},
        headers=HTMX,
    )
    assert closed.status_code == 200 and "9 more trained in June" in closed.text
    assert "overdue since" not in closed.text
    measure = pages.get("/api/v1/orgs/clinic/countermeasures/cm1").json()
    assert (measure["status"], measure["owner"]) == ("closed", "ana")  # the name's id


def test_a_countermeasure_is_added_from_the_objective_page(pages: TestClient) -> None:
    signed_in_as(pages, "ben")
    opened = pages.get(f"{T1}&add=countermeasure")
    # T1's latest red month (see the module's note): trained in 2026-05.
    assert '<option value="trained" selected>' in opened.text
    assert 'name="period" type="month" value="2026-05"' in opened.text
    data = {"metric": "trained", "period": "2026-05", "cause": "Two trainers left",
            "action": "Hire two", "owner": "ben", "due": "2026-07-31"}  # fmt: skip
    added = pages.post(f"/orgs/clinic/objectives/T1/add/countermeasure{AS_OF}", data=data)
    assert added.url.path == "/orgs/clinic/objectives/T1"
    assert 'id="cm-cm-trained-2026-05"' in added.text and "Two trainers left" in added.text
    refused = pages.post(f"/orgs/clinic/objectives/T1/add/countermeasure{AS_OF}",
                         data=data | {"metric": "falls"}, headers=HTMX)  # fmt: skip
    assert refused.status_code == 200  # htmx swaps the section: the form with its problem
    assert "choose one of the objective&#39;s metrics" in refused.text


def test_an_editor_adds_an_action_and_a_metric_in_place(pages: TestClient) -> None:
    signed_in_as(pages, "ed")
    action = {"title": "Train the night shift", "owner": "Ben Ode", "due": "2026-09-30"}
    added = pages.post(f"/orgs/clinic/objectives/T1/add/action{AS_OF}", data=action)
    assert added.url.path == "/orgs/clinic/objectives/T1" and "Train the night shift" in added.text
    made = pages.get("/api/v1/orgs/clinic/actions/train-the-night-shift").json()
    assert (made["serves"], made["owner"]) == (["T1"], "ben")
    metric = {"name": "Night staff trained", "unit": "%", "direction": "increase",
              "baseline": "0", "baseline_period": "2026-06", "target": "100",
              "target_period": "2026-12"}  # fmt: skip
    added = pages.post(f"/orgs/clinic/objectives/T1/add/metric{AS_OF}", data=metric)
    assert added.url.path == "/orgs/clinic/objectives/T1" and "Night staff trained" in added.text
    empty = pages.post(f"/orgs/clinic/objectives/T1/add/metric{AS_OF}", data={"name": ""})
    assert empty.status_code == 422 and 'id="add-metric-name-problem"' in empty.text


def test_who_may_add_what(pages: TestClient) -> None:
    signed_in_as(pages, "vic")  # a viewer sees no form and is refused one
    assert "Add countermeasure" not in pages.get(T1).text
    post = pages.post(f"/orgs/clinic/objectives/T1/add/countermeasure{AS_OF}",
                      data={"metric": "trained", "period": "2026-06"})  # fmt: skip
    assert post.status_code == 403
    viewer = pages.get("/orgs/clinic/countermeasures/cm1")  # read, without its form
    assert viewer.status_code == 200 and 'name="effect"' not in viewer.text
    signed_in_as(pages, "ben")  # a contributor adds countermeasures, not actions or metrics
    text = pages.get(T1).text
    assert "Add countermeasure" in text and "Add action" not in text
    assert pages.post(f"/orgs/clinic/objectives/T1/add/action{AS_OF}",
                      data={"title": "x"}).status_code == 403  # fmt: skip


def test_the_monthly_review_moves_a_countermeasure_on(pages: TestClient) -> None:
    signed_in_as(pages, "ben")
    review = f"/orgs/clinic/reviews/monthly/ward-a/2026-05{AS_OF}"
    text = pages.get(review).text
    assert 'id="cm-cm1"' in text and "overdue since 2026-06-30" in text
    assert "/orgs/clinic/countermeasures/cm1?back=" in text


def test_a_stale_save_says_so_and_keeps_what_was_typed(pages: TestClient) -> None:
    signed_in_as(pages, "ben")
    fields = {"version": "1", "metric": "trained", "period": "2026-05", "owner": "ana",
              "status": "in_progress", "back": f"/orgs/clinic/objectives/T1{AS_OF}"}  # fmt: skip
    assert pages.post("/orgs/clinic/countermeasures/cm1", data=fields).status_code == 200
    again = pages.post("/orgs/clinic/countermeasures/cm1", data=fields | {"cause": "Leave"})
    assert again.status_code == 422 and "Changed by someone else meanwhile" in again.text
    assert 'value="Leave"' in again.text and 'name="version" value="2"' in again.text


def test_a_red_metric_without_a_countermeasure_in_the_review_links_to_add_one(
    pages: TestClient,
) -> None:
    """trained (T1, ward-a) is red in 2026-04 (see the module's note) and cm1 answers
    2026-05, not 2026-04: the review of April offers to add one for April from T1's page."""
    signed_in_as(pages, "ben")
    text = pages.get(f"/orgs/clinic/reviews/monthly/ward-a/2026-04{AS_OF}").text
    add = (
        "/orgs/clinic/objectives/T1?as_of=2026-07-10&amp;add=countermeasure&amp;metric=trained"
        "&amp;period=2026-04"
    )
    assert f'<a href="{add}#add-countermeasure">Add a countermeasure for Nurses trained' in text
    opened = pages.get(add.replace("&amp;", "&"))
    assert 'name="period" type="month" value="2026-04"' in opened.text  # the review's month
