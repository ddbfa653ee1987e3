"""The bell, the notifications page, the settings page and the unsubscribe link without a
browser, on SQLite and PostgreSQL.

examples/small.yaml as 'clinic' (and the same plan as 'other'): ben is a contributor linked
to person ben; ed is an editor linked to no person. ben is told three comments through
service.notify.tell (the real path): on A1 (linked to A1's page), on T1 (a link to another
site, which must never be followed) and on B1 (no link); ana is told one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.domain.notices import EVENTS, Notice
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server
from hoshin.service import inbox, notify, preferences
from hoshin.store.organization import OrganizationRow, get_organization

from .web_support import clinic_pages, signed_in_as

USERS = {"ben": ("contributor", "ben"), "ed": ("editor", None)}
NOON = datetime(2026, 6, 15, 12, tzinfo=UTC)
LIST = "/orgs/clinic/notifications"
SETTINGS = "/orgs/clinic/settings/notifications"


def comment(person: str, item: str, link: str) -> Notice:
    return Notice("comment", person, "objective", item, "2026-06", f"Comment on {item}",
                  body="Ana wrote: see the June figures", link=link)  # fmt: skip


@pytest.fixture
def pages(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    with clinic_pages(engine, USERS) as client:
        with session_factory(engine)() as session:
            org = get_organization(session, slug="clinic")
            told = [
                (comment("ben", "B1", ""), 0),
                (comment("ben", "T1", "https://elsewhere.example/orgs/clinic/"), 1),
                (comment("ben", "A1", "/orgs/clinic/objectives/A1"), 2),
                (comment("ana", "B1", "/orgs/clinic/objectives/B1"), 3),
            ]
            for notice, hours in told:  # an hour apart: the newest is A1's (ben's)
                notify.tell(session, org=org, notices=[notice], now=NOON + timedelta(hours=hours))
            session.commit()
        yield client


def ids(engine: Engine, person: str) -> dict[str, int]:
    """The person's notifications' ids by item."""
    with session_factory(engine)() as session:
        org: OrganizationRow = get_organization(session, slug="clinic")
        found = inbox.list_notifications(session, org=org, person=person).items
        return {n["item"]: n["id"] for n in found}


def test_the_bell_counts_and_the_list_is_newest_first(pages: TestClient) -> None:
    signed_in_as(pages, "ben")
    start = pages.get("/orgs/clinic/")
    assert 'aria-label="Notifications, 3 unread"' in start.text
    assert '<span class="badge" aria-hidden="true">3</span>' in start.text
    listed = pages.get(LIST).text
    assert "3 unread of 3" in listed
    assert (
        listed.index("Comment on A1")
        < listed.index("Comment on T1")
        < listed.index("Comment on B1")
    )  # newest first
    assert "Ana wrote: see the June figures" in listed and "Comment on B1</p>" in listed  # no link
    assert f'href="{SETTINGS}"' in listed


def test_a_user_without_a_person_is_told_why(pages: TestClient) -> None:
    signed_in_as(pages, "ed")
    start = pages.get("/orgs/clinic/")
    assert 'aria-label="Notifications"' in start.text and 'class="badge"' not in start.text
    listed = pages.get(LIST)
    assert listed.status_code == 200
    assert "Your account is not linked to a person of the plan" in listed.text
    assert "an admin links it on the Admin page" in listed.text
    assert "not linked to a person" in pages.get(SETTINGS).text
    assert pages.post(f"{LIST}/1/read", data={"page": "1"}).status_code == 404


def test_marking_read_one_then_all_lowers_the_bell(pages: TestClient, engine: Engine) -> None:
    signed_in_as(pages, "ben")
    mine = ids(engine, "ben")
    done = pages.post(f"{LIST}/{mine['B1']}/read", data={"page": "1"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == LIST
    after = pages.get(LIST).text
    assert 'aria-label="Notifications, 2 unread"' in after and "2 unread of 3" in after
    assert pages.post(f"{LIST}/read-all").url.path == LIST
    final = pages.get(LIST).text
    assert 'aria-label="Notifications"' in final and "All 3 read" in final


def test_opening_goes_to_the_item_only_within_the_organisation(
    pages: TestClient, engine: Engine
) -> None:
    signed_in_as(pages, "ben")
    mine = ids(engine, "ben")
    opened = pages.get(f"{LIST}/{mine['A1']}/open", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/orgs/clinic/objectives/A1"
    elsewhere = pages.get(f"{LIST}/{mine['T1']}/open", follow_redirects=False)
    assert elsewhere.headers["location"] == LIST  # never another site
    assert 'aria-label="Notifications, 1 unread"' in pages.get(LIST).text  # 3 - A1 - T1


def test_another_persons_notification_is_not_found(pages: TestClient, engine: Engine) -> None:
    signed_in_as(pages, "ben")
    anas = ids(engine, "ana")["B1"]
    assert pages.post(f"{LIST}/{anas}/read", data={"page": "1"}).status_code == 404
    assert pages.get(f"{LIST}/{anas}/open", follow_redirects=False).status_code == 404
    assert ids(engine, "ana") == {"B1": anas}
    with session_factory(engine)() as session:
        org = get_organization(session, slug="clinic")
        assert inbox.unread_count(session, org=org, person="ana") == 1  # still unread


def test_settings_are_saved_at_the_version_read(
    pages: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSHIN_SMTP_URL", "")
    signed_in_as(pages, "ben")
    page = pages.get(SETTINGS).text
    assert "E-mail is off on this server: you are told in-app only" in page
    assert page.count('type="radio"') == len(EVENTS) * 4  # both, email, in_app, none
    assert "Gather my e-mails in one daily digest" in page
    # ben's e-mails (to his account's address) made his settings: the defaults, version 1
    assert 'name="version" value="1"' in page
    form = {f"channel-{event}": "both" for event in EVENTS} | {"version": "1"}
    form |= {"channel-comment": "in_app", "weekly_digest": "on"}
    saved = pages.post(SETTINGS, data=form)
    assert saved.url.path == SETTINGS and "Your notification settings are saved" in saved.text
    assert 'name="channel-comment" value="in_app" checked' in saved.text
    assert 'name="version" value="2"' in saved.text
    stale = pages.post(SETTINGS, data=form | {"channel-comment": "none"})  # read at 1
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    wrong = pages.post(SETTINGS, data=form | {"channel-comment": "pigeon", "version": "2"})
    assert wrong.status_code == 422 and "channels.comment no such choice" in wrong.text
    monkeypatch.setenv("HOSHIN_SMTP_URL", "smtp://mail.example:587")
    assert "E-mail is off" not in pages.get(SETTINGS).text


def test_the_unsubscribe_link_works_without_signing_in(pages: TestClient, engine: Engine) -> None:
    with session_factory(engine)() as session:
        org = get_organization(session, slug="clinic")
        token = notify.unsubscribe_tokens(session, org=org, people={"ben"}, now=NOON)["ben"]
        session.commit()
    pages.cookies.clear()
    page = pages.get(f"/unsubscribe/{token}?event=comment")
    assert page.status_code == 200 and "Stop e-mails from Riverside Clinic" in page.text
    assert "A comment mentions me or lands on my objective" in page.text
    # A mail client's one-click POST (RFC 8058): no cookie, no CSRF token.
    with TestClient(create_server(session_factory(engine))) as mail_client:
        done = mail_client.post(
            f"/unsubscribe/{token}?event=comment", data={"List-Unsubscribe": "One-Click"}
        )
        assert done.status_code == 200 and "no more e-mails about" in done.text
        assert mail_client.post(f"/unsubscribe/{token}").status_code == 200  # every event
        unknown = mail_client.get("/unsubscribe/no-such-token")
        assert unknown.status_code == 404 and "Not found" in unknown.text
        assert mail_client.post("/unsubscribe/no-such-token").status_code == 404
    with session_factory(engine)() as session:
        org = get_organization(session, slug="clinic")
        prefs = preferences.get_preferences(session, org=org, person="ben")
        assert set(prefs.channels.values()) == {"in_app"}  # both -> in_app, every event


def test_a_calendar_link_is_shown_once_then_stopped(pages: TestClient) -> None:
    signed_in_as(pages, "ben")
    assert "You have no calendar link" in pages.get(SETTINGS).text
    made = pages.post("/orgs/clinic/settings/calendar", data={"action": "new"})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    feed = re.search(r'id="calendar-feed"[^>]*value="([^"]+)"', made.text)
    assert feed is not None and re.fullmatch(r"http://.+/ical/[A-Za-z0-9_-]{43}\.ics", feed[1])
    again = pages.get(SETTINGS).text
    assert feed[1] not in again and "You have a calendar link" in again  # shown once
    assert "Make a new link" in again and "Stop the link" in again
    stopped = pages.post("/orgs/clinic/settings/calendar", data={"action": "stop"})
    assert stopped.url.path == SETTINGS and "Your calendar link is stopped" in stopped.text
    assert "You have no calendar link" in stopped.text


def test_only_the_unsubscribe_path_goes_without_the_forms_token(
    pages: TestClient, engine: Engine
) -> None:
    """guard.csrf lets exactly POST /unsubscribe/<token> through: any other change without
    the token, signed in or not, is refused (403) as before."""
    signed_in_as(pages, "ben")
    cookies = dict(pages.cookies)
    with TestClient(create_server(session_factory(engine)), cookies=cookies) as forger:
        refused = forger.post(f"{LIST}/read-all")  # ben's cookie, no token
        assert refused.status_code == 403
        assert forger.post("/unsubscribe/abc/read-all").status_code == 403
        assert forger.post(f"/unsubscribe/{'a' * 65}").status_code == 403  # longer than any
    assert 'aria-label="Notifications, 3 unread"' in pages.get(LIST).text  # nothing marked
