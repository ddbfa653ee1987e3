"""The alignment map: the objective tree from breakthrough to individual, with filters."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
