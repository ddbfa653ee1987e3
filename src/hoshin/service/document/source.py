"""Where a document's plan comes from: a plan file (no server needed) or an organisation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from hoshin.service.analysis import Analysed, AnalysisCache
from hoshin.service.plan import Checked, check_file
from hoshin.store import organization as org_store


def of_file(path: Path, *, as_of: date) -> Checked:
    """The plan in the file and its analysis; InvalidInput listing every FILE:LINE problem."""
    return check_file(path, as_of=as_of)


def of_organization(session: Session, *, slug: str, as_of: date) -> Analysed:
    """The organisation's stored plan and its analysis (``.plan``, ``.analysis``, as a file's
    Checked has them); NotFound without the organisation."""
    org = org_store.get_organization(session, slug=slug)
    return AnalysisCache(organizations=1).get(session, org=org, as_of=as_of)
