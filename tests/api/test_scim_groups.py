"""SCIM Groups, what they give (roles, units), plan people kept in step with the directory,
and tenant isolation, through /scim/v2 on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Seeded
from scim_support import GROUP, PATCH, Directory, events, person, role_of, tokens
from sqlalchemy import Engine, update

from hoshin.runtime.engine import session_factory
from hoshin.service import sso
from hoshin.service.sso import SsoSettings
from hoshin.store.organization import get_organization
from hoshin.store.unit import UnitRow

pytestmark = pytest.mark.usefixtures("cheap_hashing")
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture
def scim(api: Seeded, engine: Engine) -> Directory:
    """The seeded API with a SCIM token of each organisation, and clinic's SSO settings:
    the group 'Planners' gives the editor role, 'Leads' admin, 'Ward A' the unit ward-a."""
    with session_factory(engine)() as session:
        settings = SsoSettings(
            protocol="saml", saml_idp_metadata="<EntityDescriptor/>",
            group_roles={"Planners": "editor", "Leads": "admin"},
            group_units={"Ward A": "ward-a"},
        )  # fmt: skip
        org = get_organization(session, slug="clinic")
        sso.set_settings(session, org=org, settings=settings, actor="tests", origin="tests")
        session.commit()
    return Directory(api, tokens(engine))


def user_id(scim: Directory, email: str, org: str = "clinic") -> str:
    """The SCIM id of a member."""
    answer = scim.call("GET", f'/Users?filter=userName eq "{email}"', org)
    (found,) = answer.json()["Resources"]
    return str(found["id"])


def group(scim: Directory, name: str, *members: str, org: str = "clinic") -> dict[str, Any]:
    """Creates a Group of these members (SCIM ids); its body."""
    body = {"schemas": [GROUP], "displayName": name,
            "members": [{"value": member} for member in members]}  # fmt: skip
    answer = scim.call("POST", "/Groups", org, json=body)
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made


def test_a_group_mapped_to_a_role_gives_it_to_its_members(scim: Directory, engine: Engine) -> None:
    viewer = user_id(scim, "viewer@clinic.example")
    made = group(scim, "Planners", viewer)
    assert [m["value"] for m in made["members"]] == [viewer]
    assert role_of(engine, "viewer@clinic.example") == "editor"
    read = scim.call("GET", f"/Users/{viewer}").json()
    assert [(g["value"], g["display"]) for g in read["groups"]] == [(made["id"], "Planners")]
    # In both Planners (editor) and Leads (admin): the strongest, admin.
    group(scim, "Leads", viewer)
    assert role_of(engine, "viewer@clinic.example") == "admin"


def test_members_are_added_and_removed_by_patch(scim: Directory) -> None:
    viewer, editor = user_id(scim, "viewer@clinic.example"), user_id(scim, "editor@clinic.example")
    made = group(scim, "Nurses", viewer)
    add = {"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": editor}]}]}  # fmt: skip
    # No attributes asked for: 204 and no body (RFC 7644 3.5.2), as Entra ID and Okta take.
    answer = scim.call("PATCH", f"/Groups/{made['id']}", json=add)
    assert (answer.status_code, answer.content) == (204, b""), answer.text
    answer = scim.call("GET", f"/Groups/{made['id']}")
    assert sorted(m["value"] for m in answer.json()["members"]) == sorted([viewer, editor])
    remove = {"schemas": [PATCH], "Operations": [
        {"op": "remove", "path": f'members[value eq "{viewer}"]'}]}  # fmt: skip
    # Attributes asked for: 200 with the group, and its ETag.
    answer = scim.call("PATCH", f"/Groups/{made['id']}?attributes=members", json=remove)
    assert answer.status_code == 200, answer.text
    assert [m["value"] for m in answer.json()["members"]] == [editor]
    assert "displayName" not in answer.json()
    assert answer.headers["ETag"] == scim.call("GET", f"/Groups/{made['id']}").headers["ETag"]
    found = scim.call("GET", '/Groups?filter=displayName eq "Nurses"').json()
    assert [g["id"] for g in found["Resources"]] == [made["id"]]
    assert scim.call("DELETE", f"/Groups/{made['id']}").status_code == 204
    assert scim.call("GET", f"/Groups/{made['id']}").status_code == 404


def test_a_directory_name_change_reaches_the_plan_person(scim: Directory, engine: Engine) -> None:
    """ben@clinic.example is linked to the plan person 'ben' (Ben Ode, ward-a, version 1)."""
    ben = user_id(scim, "ben@clinic.example")
    rename = {"schemas": [PATCH], "Operations": [
        {"op": "replace", "path": "displayName", "value": "Ben Odembe"}]}  # fmt: skip
    assert scim.call("PATCH", f"/Users/{ben}", json=rename).status_code == 200
    assert person(engine, "ben") == ("Ben Odembe", "ward-a", 2)
    assert ("scim:entra", "person", "ben", "update") in events(engine)


def test_a_new_user_is_linked_to_the_person_whose_id_is_their_external_id(
    scim: Directory, engine: Engine
) -> None:
    """Person 'ana' (Ana Lima, unit clinic). A directory user with externalId 'ana' is
    linked to her; joining 'Ward A' moves her to the unit ward-a."""
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "a.lima@riverside.example", "externalId": "ana",
            "displayName": "Ana Lima"}  # fmt: skip
    made = scim.call("POST", "/Users", json=body).json()
    assert ("scim:entra", "user", "a.lima@riverside.example", "link") in events(engine)
    assert person(engine, "ana")[:2] == ("Ana Lima", "clinic")
    group(scim, "Ward A", made["id"])
    assert person(engine, "ana")[:2] == ("Ana Lima", "ward-a")


def test_one_directory_sees_nothing_of_another_organisation(scim: Directory) -> None:
    """'other' has its own token: clinic's users and groups are not found, not listed, not
    filtered, not changed."""
    viewer = user_id(scim, "viewer@clinic.example")
    made = group(scim, "Planners", viewer)
    other_users = scim.call("GET", "/Users", "other").json()
    assert [u["userName"] for u in other_users["Resources"]] == ["other@other.example"]
    assert scim.call("GET", "/Groups", "other").json()["totalResults"] == 0
    found = scim.call("GET", '/Users?filter=userName eq "viewer@clinic.example"', "other")
    assert found.json()["totalResults"] == 0
    places = [f"/Users/{viewer}", f"/Groups/{made['id']}"]
    for method, path in [(method, path) for path in places for method in ("GET", "DELETE")]:
        answer = scim.call(method, path, "other")
        assert answer.status_code == 404, (method, path)
        assert answer.json()["status"] == "404"
    # Nor can other's group take clinic's user as a member.
    body = {"schemas": [GROUP], "displayName": "Grab", "members": [{"value": viewer}]}
    assert scim.call("POST", "/Groups", "other", json=body).status_code == 400
    assert scim.call("GET", f"/Users/{viewer}").status_code == 200  # clinic still has them


def test_a_group_name_is_unique_in_its_directory(scim: Directory) -> None:
    group(scim, "Planners")
    body = {"schemas": [GROUP], "displayName": "Planners"}
    answer = scim.call("POST", "/Groups", json=body)
    assert (answer.status_code, answer.json()["scimType"]) == (409, "uniqueness")
    group(scim, "Planners", org="other")  # another directory's group may have the name


def test_entra_removes_members_with_a_value_and_sends_the_enterprise_department(
    scim: Directory, engine: Engine
) -> None:
    """Microsoft Entra ID's own forms: a remove operation carrying the members as its value,
    capitalised ops, and the enterprise extension's department, which names the unit
    'Ward A' (id ward-a) of the plan: ana (Ana Lima, unit clinic) moves there."""
    ana, ben = user_id(scim, "ana@clinic.example"), user_id(scim, "ben@clinic.example")
    made = group(scim, "Nurses", ana, ben)
    remove = {"schemas": [PATCH], "Operations": [
        {"op": "Remove", "path": "members", "value": [{"value": ben}]}]}  # fmt: skip
    answer = scim.call("PATCH", f"/Groups/{made['id']}", json=remove)
    assert answer.status_code == 204, answer.text
    answer = scim.call("GET", f"/Groups/{made['id']}")
    assert [m["value"] for m in answer.json()["members"]] == [ana]
    department = {"schemas": [PATCH], "Operations": [
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Ward A"}]}  # fmt: skip
    answer = scim.call("PATCH", f"/Users/{ana}", json=department)
    assert answer.status_code == 200, answer.text
    assert person(engine, "ana")[:2] == ("Ana Lima", "ward-a")


def test_a_group_does_not_demote_the_last_admin(scim: Directory, engine: Engine) -> None:
    """Planners gives editor: clinic's only admin joins it and stays admin. Once the editor
    is an admin too (Leads), the first admin leaves and joins Planners again: editor now."""
    admin = user_id(scim, "admin@clinic.example")
    made = group(scim, "Planners", admin)
    assert role_of(engine, "admin@clinic.example") == "admin"
    group(scim, "Leads", user_id(scim, "editor@clinic.example"))
    assert role_of(engine, "editor@clinic.example") == "admin"
    for op in ("remove", "add"):
        change = {"schemas": [PATCH], "Operations": [
            {"op": op, "path": "members", "value": [{"value": admin}]}]}  # fmt: skip
        assert scim.call("PATCH", f"/Groups/{made['id']}", json=change).status_code == 204
    assert role_of(engine, "admin@clinic.example") == "editor"


def test_the_enterprise_manager_puts_the_person_in_the_managers_unit(
    scim: Directory, engine: Engine
) -> None:
    """Ana (unit clinic) gets Ben as her manager: Ben leads no unit, so she joins his own,
    ward-a. Once Ben leads clinic, the same manager puts her in clinic: the unit a manager
    leads comes before the one they are in. A manager of another directory changes nothing."""
    ana, ben = user_id(scim, "ana@clinic.example"), user_id(scim, "ben@clinic.example")
    manager = {"schemas": [PATCH], "Operations": [
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": ben}}]}  # fmt: skip
    assert scim.call("PATCH", f"/Users/{ana}", json=manager).status_code == 200
    assert person(engine, "ana")[:2] == ("Ana Lima", "ward-a")
    with session_factory(engine)() as session:
        org = get_organization(session, slug="clinic")
        session.execute(
            update(UnitRow).where(UnitRow.org_id == org.id, UnitRow.key == "clinic").values(
                lead="ben")
        )  # fmt: skip
        session.commit()
    assert scim.call("PATCH", f"/Users/{ana}", json=manager).status_code == 200
    assert person(engine, "ana")[:2] == ("Ana Lima", "clinic")
    stranger = {"schemas": [PATCH], "Operations": [
        {"op": "replace", "path": f"{ENTERPRISE}:manager",
         "value": {"value": user_id(scim, "other@other.example", "other")}}]}  # fmt: skip
    assert scim.call("PATCH", f"/Users/{ana}", json=stranger).status_code == 200
    assert person(engine, "ana")[:2] == ("Ana Lima", "clinic")
