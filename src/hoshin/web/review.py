"""The monthly review of a unit: reds and ambers, countermeasures, decisions, minutes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
