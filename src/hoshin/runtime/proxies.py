"""Which reverse proxies `hoshin serve` believes: HOSHIN_TRUSTED_PROXIES, for uvicorn.

uvicorn takes X-Forwarded-For and X-Forwarded-Proto from 127.0.0.1 unless told otherwise:
any local process, or a client of a proxy that passes the header on, could then name any
address it likes (and so dodge the sign-in throttle per address). hoshin tells uvicorn to
believe only the proxies named; without any it reads no forwarded header at all, and the
client's address is the connection's. Every part of hoshin reads that address from the
request (request.client), where uvicorn put it.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from hoshin.errors import InvalidInput


def trusted_proxies(setting: str) -> list[str]:
    """The addresses and networks named in the setting (comma-separated); InvalidInput for
    anything else (uvicorn would take a typo as a name that never matches)."""
    named = [item.strip() for item in setting.split(",") if item.strip()]
    for item in named:
        try:
            if "/" in item:
                ipaddress.ip_network(item, strict=False)
            else:
                ipaddress.ip_address(item)
        except ValueError:
            raise InvalidInput(
                f"HOSHIN_TRUSTED_PROXIES: '{item}' is neither an IP address nor a network "
                "(like 10.0.0.0/8)"
            ) from None
    return named


def proxy_options(setting: str) -> dict[str, Any]:
    """uvicorn's options for the proxies named in the setting (none: no forwarded headers)."""
    named = trusted_proxies(setting)
    return {"proxy_headers": bool(named), "forwarded_allow_ips": named}
