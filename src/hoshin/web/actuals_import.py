"""Importing a spreadsheet of actuals from the check-in page: upload it, see what would
change (or what is wrong, row by row), then save every check-in at once."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from hoshin.config import settings
from hoshin.domain.figures import exact
from hoshin.errors import HoshinError, InvalidInput
from hoshin.service import actuals_import, policy
from hoshin.service.actuals_import import Imported, Importer, RowsRefused, carried, rows_carried
from hoshin.service.policy import Act
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.outcome import attempt, page_status
from hoshin.web.render import render

router = APIRouter()
SHOWN: Final = 200  # rows of the preview's table; the counts are of them all
PIECE: Final = 10_000  # characters of the carried rows in one hidden field (a form's text limit)
HINT: Final = "tick 'Correct values already entered' to replace it"


@router.get("/orgs/{org}/check-in/import", response_class=HTMLResponse)
def upload_form(request: Request, here: Place) -> Response:
    """The form that uploads a spreadsheet of actuals, and what it must hold."""
    _require(here)
    return render(request, "actuals_import.html", {"here": here, "step": "upload"})


@router.post("/orgs/{org}/check-in/import", response_class=HTMLResponse)
async def preview(request: Request, session: Db, here: Place) -> Response:
    """Checks the uploaded file and shows what saving it would change, or its problems;
    nothing is saved."""
    form = await request.form()
    try:  # the upload's temporary file is closed at once, whatever the answer
        _require(here)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput("file: choose a .xlsx or .csv file")
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
        body = await upload.read()
    except InvalidInput as error:
        return _upload_again(request, here, error)
    finally:
        await form.close()
    # Corrections are shown as such; saving them needs the box ticked (import_lines' correct).
    outcome = attempt(
        session, actuals_import.import_file, session, by=_importer(here), name=name, body=body,
        correct=True, dry_run=True, now=now(), hint=HINT,
    )  # fmt: skip
    if isinstance(outcome, HoshinError):
        return _upload_again(request, here, outcome)
    return _preview(request, here, session, name, outcome)


@router.post("/orgs/{org}/check-in/import/save", response_class=HTMLResponse)
async def save(request: Request, session: Db, here: Place) -> Response:
    """Records the previewed rows, checked again now: a value someone changed since the
    preview is reported, never overwritten; all are saved or none."""
    _require(here)
    form = await request.form()
    name = str(form.get("name", "")).strip()[:300] or "upload"
    # The preview carries its normalised rows and the stored values it showed in the form,
    # not the upload: nothing is kept on the server between the two requests (any process
    # may answer the second, nothing is left behind when the page is closed), and what a
    # form sends is anyone's to change, so the rows are checked again as a file's are and
    # each stored value compared with the one the preview showed.
    text = "".join(str(piece) for piece in form.getlist("rows"))
    correct = form.get("correct") == "yes"
    try:
        lines, seen = rows_carried(text)
    except InvalidInput as error:
        return _upload_again(request, here, error)
    outcome = attempt(
        session, actuals_import.import_lines, session, by=_importer(here), name=name,
        lines=lines, seen=seen, correct=correct, dry_run=False, now=now(), hint=HINT,
    )  # fmt: skip
    if isinstance(outcome, HoshinError):
        return _upload_again(request, here, outcome)
    context = {"here": here, "step": "saved", "imported": outcome, "name": name}
    return render(request, "actuals_import.html", context)


def _require(here: Here) -> None:
    """A viewer may not import (403), as they may not check in."""
    policy.require(here.role, Act.WORK, "record actuals", theirs=True)


def _importer(here: Here) -> Importer:
    return Importer(here.org, here.role, here.me.person, here.who)


def _preview(request: Request, here: Here, session: Db, name: str, imported: Imported) -> Response:
    """The preview's page: each row's change and the form that saves them."""
    rows = carried(imported)
    fits = len(rows.encode()) < settings().max_body_bytes - 64 * 1024  # room for the rest
    names = {m.id: m.name for m in here.analysed(session).plan.metrics()}
    shown = [c for c in imported.changes if c.kind != "unchanged"][:SHOWN]
    context: dict[str, Any] = {
        "here": here, "step": "preview", "imported": imported, "name": name, "names": names,
        "shown": shown, "fits": fits, "exact": exact,
        "pieces": [rows[i : i + PIECE] for i in range(0, len(rows), PIECE)] if fits else [],
    }  # fmt: skip
    return render(request, "actuals_import.html", context)


def _upload_again(request: Request, here: Here, error: HoshinError) -> Response:
    """The upload form again, with what is wrong (each row's problem, if any)."""
    problems = error.problems if isinstance(error, RowsRefused) else []
    context = {
        "here": here, "step": "upload", "error": error.message,
        "problems": problems[: actuals_import.MOST_LISTED],
        "more": max(0, len(problems) - actuals_import.MOST_LISTED),
    }  # fmt: skip
    return render(request, "actuals_import.html", context, page_status(error))
