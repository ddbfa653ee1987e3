"""`hoshin serve` believes X-Forwarded-For only from HOSHIN_TRUSTED_PROXIES, with one process
or several: the address that hoshin records (here: of each failed sign-in) is the one uvicorn
computed from it."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from hoshin.errors import InvalidInput
from hoshin.runtime.proxies import proxy_options
from hoshin.runtime.sessions import one_session, upgrade_database
from hoshin.store.account import SignInAttemptRow
from serving import HOST, hoshin_serve

FORWARDED = ("203.0.113.1", "203.0.113.2", "203.0.113.3")


@contextmanager
def serving(url: str, workers: int, trusted: str | None) -> Iterator[int]:
    """`hoshin serve` on a free port until it answers; yields the port."""
    env = {"HOSHIN_TRUSTED_PROXIES": trusted, "FORWARDED_ALLOW_IPS": None}
    with hoshin_serve(url, "--workers", str(workers), env=env, wait=60) as (port, _):
        yield port


def fail_sign_ins(port: int) -> list[int]:
    """One failed sign-in per forwarded address (each on an email of its own); the statuses."""
    statuses = []
    for number, address in enumerate(FORWARDED):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        body = json.dumps({"email": f"u{number}@acme.org", "password": "not a password"})
        headers = {"Content-Type": "application/json", "X-Forwarded-For": address}
        connection.request("POST", "/api/v1/session", body=body, headers=headers)
        statuses.append(connection.getresponse().status)
        connection.close()
    return statuses


def recorded_clients(url: str) -> list[str]:
    with one_session(url) as session:
        return list(session.scalars(select(SignInAttemptRow.client).order_by(SignInAttemptRow.id)))


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize(
    ("trusted", "expected"),
    [(None, [HOST] * 3), ("127.0.0.1", list(FORWARDED)), ("10.0.0.0/8", [HOST] * 3)],
)
def test_forwarded_addresses_count_only_from_named_proxies(
    tmp_path: Path, workers: int, trusted: str | None, expected: list[str]
) -> None:
    """From loopback, rotating X-Forwarded-For gets a client no new address unless loopback
    is named a trusted proxy (uvicorn on its own trusts 127.0.0.1)."""
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    upgrade_database(url)
    with serving(url, workers, trusted) as port:
        assert fail_sign_ins(port) == [401, 401, 401]
    assert recorded_clients(url) == expected


def test_the_setting_names_addresses_and_networks_only() -> None:
    assert proxy_options("") == {"proxy_headers": False, "forwarded_allow_ips": []}
    assert proxy_options(" 10.0.0.1 , 192.168.0.0/16,::1") == {
        "proxy_headers": True,
        "forwarded_allow_ips": ["10.0.0.1", "192.168.0.0/16", "::1"],
    }
    for bad in ("*", "proxy.local", "10.0.0.0/33"):
        with pytest.raises(InvalidInput, match=re.escape(f"PROXIES: '{bad}' is neither")):
            proxy_options(bad)
