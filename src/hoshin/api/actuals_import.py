"""Many check-ins at once: a spreadsheet of actuals (.xlsx or .csv) uploaded, every row
checked, then all recorded or none (service.actuals_import)."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, Field

from hoshin.api.deps import Db, Org, now
from hoshin.api.edits import CHANGES, READS
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import actuals_import
from hoshin.service.actuals_import import KINDS, Importer

router = APIRouter(tags=["check-ins"], responses={**READS, **CHANGES}, route_class=OneThreadRoute)
HINT = "send correct=true to replace it"
# A file sent without a name, or a name without a suffix, is known by its media type.
SUFFIX_OF = {
    "text/csv": ".csv",
    "application/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


class ActualChangeRead(BaseModel):
    """What one row does: the stored value before (null: none) and the row's value."""

    row: int = Field(description="The row as the spreadsheet numbers it (the header is 1).")
    metric: str
    month: str
    before: float | None
    after: float
    kind: Literal["new", "corrected", "unchanged"]
    note: str


class ActualsImportRead(BaseModel):
    """The rows' changes and their counts; ``recorded`` is false for a dry run."""

    recorded: bool
    new: int
    corrected: int
    unchanged: int
    changes: list[ActualChangeRead]


@router.post("/orgs/{org}/actuals/import", response_model=ActualsImportRead)
def import_actuals(
    org: Org,
    session: Db,
    file: Annotated[
        UploadFile,
        File(
            description="A .xlsx or .csv file: a header row naming metric, month, value "
            "(and optionally note), then one actual a row."
        ),
    ],
    dry_run: Annotated[bool, Query(description="Check every row; save nothing.")] = False,
    correct: Annotated[
        bool, Query(description="Replace a month's stored value that differs.")
    ] = False,
) -> dict[str, Any]:
    """Record many actuals from a spreadsheet, all or none; 422 lists each bad row (row,
    column, reason), at most 100."""
    name = _name(file)
    imported = actuals_import.import_file(
        session, by=Importer(org.org, org.role, org.person, org.who), name=name,
        body=file.file.read(), correct=correct, dry_run=dry_run, now=now(), hint=HINT,
    )  # fmt: skip
    counts: dict[str, Any] = {kind: imported.count(kind) for kind in KINDS}
    changes = [change.as_json() for change in imported.changes]
    return {"recorded": imported.recorded, **counts, "changes": changes}


def _name(file: UploadFile) -> str:
    """The file's name without its folders (a browser on Windows may send them), and a
    suffix from its media type when the name has none."""
    sent = file.filename or ""
    name = PureWindowsPath(PurePosixPath(sent).name).name or "upload"
    if "." in name:
        return name
    media = (file.content_type or "").partition(";")[0].strip().lower()
    return name + SUFFIX_OF.get(media, "")
