"""Plan editing: forms for the vision, units, people, objectives, metrics and actions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
