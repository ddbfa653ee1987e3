"""Documents to download from the pages where their content is shown: the workbook, the
A3 report, the review pack, the X-matrix, the strategy on a page (each route answers with
hoshin.service.document.download.download)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
