"""Documents of an organisation's plan to download: the workbook, the PDF documents (each
route answers with hoshin.service.document.download.download)."""

from __future__ import annotations

from fastapi import APIRouter

from hoshin.api.edits import READS
from hoshin.runtime.one_thread import OneThreadRoute

router = APIRouter(tags=["documents"], responses=READS, route_class=OneThreadRoute)
