"""My work: what the signed-in person owes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
