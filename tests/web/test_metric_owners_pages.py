"""A metric's own owner and a unit's lead on the pages, without a browser, on SQLite and
PostgreSQL: the check-in's owner filter counts a metric's own owner (else its objective's),
that owner may record it and owes it on My work; the objective page and the plan's list of
units name them.

examples/small.yaml with two changes: falls (of B1, ana's, no unit) is owned by ben, and
the clinic is led by ana (Ward A, of the clinic, has no lead). As of 2026-07-10 the month
due is 2026-06; huddles and trained are A1's and T1's, ben's, of ward-a."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.domain.model import Plan
from hoshin.planfile import read_plan

from .web_support import SMALL_PLAN, clinic_pages, signed_in_as

JULY = "as_of=2026-07-10"
GRID = "/orgs/clinic/check-in"

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def owned_plan() -> Plan:
    """small.yaml with falls owned by ben and the clinic led by ana."""
    plan = read_plan(SMALL_PLAN)
    b1, *rest = plan.objectives
    falls = replace(b1.metrics[0], owner="ben")
    clinic, ward = plan.units
    return replace(
        plan,
        units=(replace(clinic, lead="ana"), ward),
        objectives=(replace(b1, metrics=(falls,)), *rest),
    )


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    """The clinic with an admin who is no person of the plan, and ben (contributor)."""
    users = {"admin": ("admin", None), "ben": ("contributor", "ben")}
    with clinic_pages(engine, users, owned_plan()) as client:
        yield client


def test_the_check_in_counts_a_metrics_own_owner(pages: TestClient) -> None:
    signed_in_as(pages, "admin")
    # falls is ben's now (B1 stays ana's): ben has three metrics, ana none
    bens = pages.get(f"{GRID}?owner=ben&{JULY}").text
    assert "3 metrics owned by Ben Ode, 2026-06." in bens
    anas = pages.get(f"{GRID}?owner=ana&{JULY}").text
    assert "0 metrics owned by Ana Lima, 2026-06." in anas
    # the unit filter goes by the objective's unit: falls (B1, no unit) is not Ward A's
    ward = pages.get(f"{GRID}?unit=ward-a&owner=ben&{JULY}").text
    assert "2 metrics of unit Ward A owned by Ben Ode, 2026-06." in ward
    # every row names who enters its actuals: Ben Ode three times, Ana Lima nowhere
    every = pages.get(f"{GRID}?owner=&{JULY}").text
    assert every.count('<td data-label="Owner">Ben Ode</td>') == 3
    assert '<td data-label="Owner">Ana Lima</td>' not in every


def test_a_contributor_records_and_owes_the_metric_they_own(pages: TestClient) -> None:
    signed_in_as(pages, "ben")
    mine = pages.get(f"{GRID}?{JULY}").text
    assert "3 metrics owned by Ben Ode (you), 2026-06." in mine
    # falls is of B1 (ana's, no unit) but ben's own metric: he may record it
    row = pages.post(
        f"{GRID}/falls/2026-06?owner=&{JULY}", data={"value": "20"}, headers={"HX-Request": "true"}
    )
    assert row.status_code == 200 and "cannot record" not in row.text
    assert 'value="20"' in row.text
    # as of 2026-08-10 July's actual of falls is missing: ben owes it (not B1's owner, ana)
    work = pages.get("/orgs/clinic/my-work?as_of=2026-08-10").text
    assert "Patient falls per month" in work


def test_the_objective_page_names_who_enters_each_metrics_actuals(pages: TestClient) -> None:
    signed_in_as(pages, "admin")
    b1 = pages.get(f"/orgs/clinic/objectives/B1?{JULY}").text
    assert '<p class="metric-owner">Actuals entered by Ben Ode</p>' in b1
    a1 = pages.get(f"/orgs/clinic/objectives/A1?{JULY}").text
    assert '<p class="metric-owner">Actuals entered by Ben Ode (the objective\'s owner)</p>' in a1


def test_the_plans_units_name_their_lead_or_whom_they_escalate_to(pages: TestClient) -> None:
    signed_in_as(pages, "admin")
    plan = pages.get("/orgs/clinic/plan").text
    # the clinic: Ana Lima; Ward A has no lead and escalates to its parent's, Ana Lima
    assert "<td>Riverside Clinic</td><td></td><td>Ana Lima</td>" in plan
    assert '<td>Riverside Clinic</td><td><span class="hint">escalates to Ana Lima</span></td>' in (
        plan
    )
