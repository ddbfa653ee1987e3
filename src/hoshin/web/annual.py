"""The annual review and reflection of a fiscal year, and the carry forward."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
