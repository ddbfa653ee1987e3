"""SCIM at enterprise size, through /scim/v2 on SQLite and PostgreSQL: id lists sent in
chunks (PostgreSQL refuses a statement of more than 65,535 parameters), filters the
database cannot narrow refused above a limit (tooMany), and a group PATCH that reads its
members once. The sizes are made small by monkeypatching the limits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from api_support import Seeded
from scim_support import GROUP, PATCH, Directory, events, tokens
from sqlalchemy import Engine, event

from hoshin.service import scim as scim_users
from hoshin.service import scim_groups
from hoshin.store import scim as scim_store

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def scim(api: Seeded, engine: Engine) -> Directory:
    """The seeded API (clinic has five members) with a SCIM token of each organisation."""
    return Directory(api, tokens(engine))


@contextmanager
def statements() -> Iterator[list[tuple[str, int]]]:
    """Every statement sent meanwhile, by any engine: (SQL, how many parameters)."""
    sent: list[tuple[str, int]] = []

    def note(conn: Any, cursor: Any, sql: str, parameters: Any, *args: Any) -> None:
        sent.append((sql, len(parameters or ())))

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def ids(answer: Any) -> list[str]:
    """The ids of a ListResponse's resources."""
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json().get("Resources", [])]


def test_id_lists_are_sent_two_at_a_time_when_the_chunk_is_two(
    scim: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five seeded members and three new ones, all in one group: eight user ids. With
    CHUNK 2, no SELECT or DELETE carries more than 2 ids and the org id (3 parameters),
    where one IN list of all eight would carry 9; the answers are whole all the same."""
    made = [scim.user(f"{name}@clinic.example")["id"] for name in ("cleo", "dan", "eve")]
    every = ids(scim.call("GET", "/Users"))
    assert len(every) == 8
    body = {"schemas": [GROUP], "displayName": "All", "members": [{"value": v} for v in every]}
    group = scim.call("POST", "/Groups", json=body).json()
    monkeypatch.setattr(scim_store, "CHUNK", 2)
    with statements() as sent:
        listed = scim.call("GET", "/Users").json()["Resources"]
        matched = ids(scim.call("GET", "/Users?filter=displayName pr or userName pr"))
        replaced = dict(body, members=[{"value": v} for v in made])
        assert scim.call("PUT", f"/Groups/{group['id']}", json=replaced).status_code == 200
    assert [u["groups"][0]["display"] for u in listed] == ["All"] * 8
    assert matched == every
    group = scim.call("GET", f"/Groups/{group['id']}").json()
    assert sorted(m["value"] for m in group["members"]) == sorted(made)
    widest = max(n for sql, n in sent if not sql.lstrip().upper().startswith("INSERT"))
    assert widest <= 3


def test_a_filter_matched_one_by_one_is_too_many_above_the_limit(
    scim: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A limit of 4 users matched in memory; clinic has 6 members (5 seeded, Cleo Park): a
    filter the database cannot narrow is refused (400 tooMany, naming the filters served at
    any size); those it narrows to one user, or pages itself (active), are served."""
    cleo = scim.user("cleo@clinic.example", displayName="Cleo Park")["id"]
    monkeypatch.setattr(scim_users, "IN_MEMORY_LIMIT", 4)
    for query in ('displayName co "a"', 'active eq true and displayName co "Cleo"'):
        answer = scim.call("GET", "/Users?filter=" + query)
        assert answer.status_code == 400, query
        error = answer.json()
        assert error["scimType"] == "tooMany"
        assert "6 of them (more than 4)" in error["detail"]
        assert "userName, emails.value, externalId, id or displayName eq" in error["detail"]
    assert ids(scim.call("GET", '/Users?filter=displayName eq "cleo park"')) == [cleo]
    both = 'displayName eq "Cleo Park" and userName eq "cleo@clinic.example"'
    assert ids(scim.call("GET", "/Users?filter=" + both)) == [cleo]
    never = 'userName eq "cleo@clinic.example" and userName eq "dan@clinic.example"'
    assert ids(scim.call("GET", "/Users?filter=" + never)) == []
    # active eq is the database's own filter: it counts and pages as /Users does.
    answer = scim.call("GET", "/Users?filter=active eq true&startIndex=5&count=4")
    body = answer.json()
    assert (body["totalResults"], body["itemsPerPage"]) == (6, 2)
    assert ids(answer)[-1] == cleo
    assert ids(scim.call("GET", "/Users?filter=active eq false")) == []


def test_a_displayname_eq_narrowed_in_sql_still_matches_as_scim_does(scim: Directory) -> None:
    """displayName is not caseExact (RFC 7643): eq ignores case; a non-ASCII value, which
    SQLite's lower() would not fold, is matched in memory: 'ÉLODIE' finds 'Élodie'."""
    cleo = scim.user("cleo@clinic.example", displayName="Cleo Park")["id"]
    elodie = scim.user("elodie@clinic.example", displayName="Élodie Roy")["id"]
    assert ids(scim.call("GET", '/Users?filter=displayName eq "CLEO PARK"')) == [cleo]
    assert ids(scim.call("GET", '/Users?filter=displayName eq "ÉLODIE ROY"')) == [elodie]
    assert ids(scim.call("GET", '/Users?filter=displayName eq "Cleo"')) == []


def test_a_group_patch_reads_the_groups_members_once(
    scim: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group of three; adding a fourth reads the group's members (scim_group_members by
    group_id) once, where it read them four times, builds no Group (it would fail here)
    and answers 204."""
    every = ids(scim.call("GET", "/Users"))
    body = {"schemas": [GROUP], "displayName": "Nurses",
            "members": [{"value": v} for v in every[:3]]}  # fmt: skip
    group = scim.call("POST", "/Groups", json=body).json()
    add = {"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": every[3]}]}]}  # fmt: skip
    monkeypatch.setattr(scim_groups, "group_resource", None)
    with statements() as sent:
        assert scim.call("PATCH", f"/Groups/{group['id']}", json=add).status_code == 204
    monkeypatch.undo()
    reads = [
        sql for sql, _ in sent
        if sql.lstrip().upper().startswith("SELECT") and "WHERE scim_group_members.group_id" in sql
    ]  # fmt: skip
    assert len(reads) == 1
    members = scim.call("GET", f"/Groups/{group['id']}").json()["members"]
    assert sorted(m["value"] for m in members) == sorted(every[:4])


def test_the_membership_changes_directories_send_and_others_agree(
    scim: Directory, engine: Engine
) -> None:
    """Members 1-5 (seeded). The forms Entra ID and Okta send (add with a value list,
    remove with a value list or a value filter), changed from the members' ids, and any
    other form (replace, applied by scim2-models) give the same group and audit trail."""
    every = ids(scim.call("GET", "/Users"))
    one, two, three, four, five = every
    body = {"schemas": [GROUP], "displayName": "Nurses", "members": [{"value": one}]}
    group = scim.call("POST", "/Groups", json=body).json()
    path = f"/Groups/{group['id']}"

    def change(*operations: dict[str, Any]) -> int:
        answer = scim.call("PATCH", path, json={"schemas": [PATCH], "Operations": operations})
        return answer.status_code

    def members() -> list[str]:
        return sorted(m["value"] for m in scim.call("GET", path).json().get("members", []))

    value = [{"value": two}, {"value": three}, {"value": one}]  # one is a member already
    assert change({"op": "Add", "path": "members", "value": value}) == 204
    assert members() == sorted([one, two, three])
    assert change({"op": "Remove", "path": "members", "value": [{"value": one}]},
                  {"op": "remove", "path": f'members[value eq "{two}"]'}) == 204  # fmt: skip
    assert members() == [three]
    # Removing a non-member changes nothing, as scim2-models has it.
    assert change({"op": "remove", "path": f'members[value eq "{one}"]'}) == 204
    assert members() == [three]
    assert change({"op": "replace", "path": "members", "value": [{"value": four}]},
                  {"op": "add", "path": "members", "value": [{"value": five}]}) == 204  # fmt: skip
    assert members() == sorted([four, five])
    unknown = scim.call("PATCH", path, json={"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": "99999"}]}]})  # fmt: skip
    assert (unknown.status_code, unknown.json()["scimType"]) == (400, "invalidValue")
    assert "no user 99999" in unknown.json()["detail"]
    assert members() == sorted([four, five])
    updates = [e for e in events(engine) if e[1:] == ("scim-group", "Nurses", "update")]
    assert len(updates) == 3


def test_groups_are_narrowed_by_name_and_paged_before_they_are_built(scim: Directory) -> None:
    """Groups Nurses (members 1, 2), Leads (3) and Ward A: displayName eq ignores case and
    reads one group's members; a page of one group (the 2nd) reads only its members."""
    every = ids(scim.call("GET", "/Users"))
    made = []
    for name, members in (("Nurses", every[:2]), ("Leads", every[2:3]), ("Ward A", [])):
        body = {"schemas": [GROUP], "displayName": name,
                "members": [{"value": v} for v in members]}  # fmt: skip
        made.append(scim.call("POST", "/Groups", json=body).json()["id"])
    for query, expected in (("/Groups?filter=displayName eq \"NURSES\"", [made[0]]),
                            ("/Groups?startIndex=2&count=1", [made[1]])):  # fmt: skip
        with statements() as sent:
            answer = scim.call("GET", query)
        assert ids(answer) == expected
        reads = [n for sql, n in sent if "WHERE scim_group_members.group_id IN" in sql]
        assert reads == [1], query
    body = scim.call("GET", "/Groups?startIndex=2&count=1").json()
    assert (body["totalResults"], body["itemsPerPage"]) == (3, 1)
    assert ids(scim.call("GET", '/Groups?filter=displayName eq "Nurses" and members pr')) == [
        made[0]
    ]
    assert ids(scim.call("GET", '/Groups?filter=displayName eq "Ward"')) == []
