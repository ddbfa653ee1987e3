"""The plan's references in people's words (service.search), on SQLite and PostgreSQL. The
clinic is examples/small.yaml (people ana "Ana Lima" of clinic, ben "Ben Ode" of ward-a;
objectives B1, A1, T1; actions a1-a3), with a namesake added where a test needs one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from factories import make_organization
from hoshin.domain.model import Person
from hoshin.errors import InvalidInput
from hoshin.planfile import read_plan
from hoshin.service import search
from hoshin.service.organization import OrganizationRow
from hoshin.store import search as store

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")


@pytest.fixture
def clinic(session: Session) -> OrganizationRow:
    org = make_organization(session, slug="clinic", name="Riverside Clinic", plan=SMALL)
    session.commit()
    return org


def test_a_picker_finds_people_by_part_of_a_name_with_their_unit(
    session: Session, clinic: OrganizationRow
) -> None:
    """ "lim" is inside "Ana Lima" only; "BE" starts ben's id and "Ben Ode"."""
    found = search.choices(session, org=clinic, kind="people", query="lim")
    assert [(c.id, c.label) for c in found] == [("ana", "Ana Lima — Riverside Clinic")]
    found = search.choices(session, org=clinic, kind="people", query="BE")
    assert [(c.id, c.label) for c in found] == [("ben", "Ben Ode — Ward A")]
    # no query: the first in plan order; a wildcard typed is a literal
    assert [c.id for c in search.choices(session, org=clinic, kind="people", query="")] == [
        "ana", "ben",
    ]  # fmt: skip
    assert search.choices(session, org=clinic, kind="people", query="%") == []


def test_objectives_show_their_id_and_title_an_exact_id_first(
    session: Session, clinic: OrganizationRow
) -> None:
    """ "a1" is A1's id (first) and a part of no title; actions a1-a3 are another kind."""
    found = search.choices(session, org=clinic, kind="objectives", query="a1")
    assert [c.id for c in found] == ["A1"]
    assert found[0].label.startswith("A1 ")
    actions = search.choices(session, org=clinic, kind="actions", query="a")
    assert [c.id for c in actions][:3] == ["a1", "a2", "a3"]


def test_a_name_resolves_to_its_id_and_a_shared_name_lists_the_candidates(
    session: Session, clinic: OrganizationRow
) -> None:
    assert search.resolve(session, org=clinic, kind="people", typed="ben") == "ben"
    assert search.resolve(session, org=clinic, kind="people", typed="ana lima") == "ana"
    assert search.resolve(session, org=clinic, kind="units", typed="Ward A") == "ward-a"
    assert search.resolve(session, org=clinic, kind="people", typed="Nobody") == "Nobody"
    other = make_organization(
        session, slug="other", name="Other",
        plan=replace(SMALL, people=(*SMALL.people, Person("ana2", "Ana Lima", "ward-a", None))),
    )  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        search.resolve(session, org=other, kind="people", typed="Ana Lima")
    assert refused.value.message == (
        "'Ana Lima' is the name of several people: Ana Lima — Riverside Clinic (id ana), "
        "Ana Lima — Ward A (id ana2); choose one by its id"
    )
    # the clinic's Ana Lima is still one: nothing of another organisation is seen
    assert search.resolve(session, org=clinic, kind="people", typed="Ana Lima") == "ana"


def test_a_new_id_is_made_from_the_title_and_free_in_the_whole_plan(
    session: Session, clinic: OrganizationRow
) -> None:
    """A title "A1" gives "a1", which is an action's id (ids are one namespace): "a1-2"."""
    key = search.new_key(session, org=clinic, title="Réduire les défauts", fallback="objective")
    assert key == "reduire-les-defauts"
    assert search.new_key(session, org=clinic, title="A1", fallback="objective") == "a1-2"
    assert search.new_key(session, org=clinic, title="", fallback="person") == "person"


def test_labels_of_ids_a_form_holds(session: Session, clinic: OrganizationRow) -> None:
    found = search.labels(session, org=clinic, kind="people", keys=["ben", "nobody"])
    assert found == {"ben": "Ben Ode — Ward A"}


def test_a_people_picker_narrowed_to_a_unit_lists_only_its_people(
    session: Session, clinic: OrganizationRow
) -> None:
    """Catchball's lead: of ana (clinic) and ben (ward-a), ward-a holds ben only, named by
    its id or its name; a unit half typed ("War") or unknown narrows nothing."""

    def people(unit: str, query: str = "") -> list[str]:
        found = search.choices(session, org=clinic, kind="people", query=query, unit=unit)
        return [c.id for c in found]

    assert people("ward-a") == ["ben"]
    assert people("Ward A") == ["ben"]
    assert people("clinic") == ["ana"]
    assert people("clinic", query="ben") == []
    assert people("War") == ["ana", "ben"]
    assert people("") == ["ana", "ben"]
    # other kinds are not narrowed by a unit
    assert [c.id for c in search.choices(session, org=clinic, kind="units", query="",
                                         unit="ward-a")] == ["clinic", "ward-a"]  # fmt: skip


def test_exact_matches_come_first_then_names_that_start_alike_then_the_rest_in_plan_order(
    session: Session,
) -> None:
    """People in plan order: Bea Tiller (bt), Albert Benn (ab), Ben Ode (ben), Ben (b2),
    Benedikt Roth (br). "ben": exact first, in plan order: ben (its id), b2 (its name);
    then the names that start with "ben": br; then the rest that hold it: ab. Bea Tiller
    holds no "ben"."""
    people = (Person("bt", "Bea Tiller", None, None), Person("ab", "Albert Benn", None, None),
              Person("ben", "Ben Ode", None, None), Person("b2", "Ben", None, None),
              Person("br", "Benedikt Roth", None, None))  # fmt: skip
    plan = replace(SMALL, people=people, objectives=(), actions=(), countermeasures=())
    org = make_organization(session, slug="names", name="Names", plan=plan)
    found = search.choices(session, org=org, kind="people", query="BEN")
    assert [c.id for c in found] == ["ben", "b2", "br", "ab"]
    # at most 2 or 3: more match than that, so each tier is searched in the whole plan
    # (the first 2 matches in plan order, ab and ben, are not the best 2)
    for limit, best in ((2, ["ben", "b2"]), (3, ["ben", "b2", "br"])):
        rows = store.matches(session, org_id=org.id, kind="people", query="ben", limit=limit)
        assert [row[0] for row in rows] == best
