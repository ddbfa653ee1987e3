"""How a document is handed over: its media type and the file name it is saved under."""

from __future__ import annotations

import re
from datetime import date

from starlette.responses import Response

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "csv": "text/csv; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
    "json": "application/json",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(*parts: str, day: date, suffix: str) -> str:
    """``acme-a3-BT1-2026-12-05.pdf``: the parts and the day, safe in any file system and
    in a Content-Disposition header (ids and slugs are ASCII already; this is a guard)."""
    stem = "-".join(_UNSAFE.sub("_", part) for part in parts if part)
    return f"{stem}-{day.isoformat()}.{suffix}"


def attachment(name: str) -> dict[str, str]:
    """The headers that make a browser save the answer as ``name``."""
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def download(body: bytes, *, name: str, kind: str) -> Response:
    """``body`` as a file named ``name`` of ``kind`` (a key of MEDIA_TYPES), for the API and
    the pages alike."""
    return Response(body, media_type=MEDIA_TYPES[kind], headers=attachment(name))
