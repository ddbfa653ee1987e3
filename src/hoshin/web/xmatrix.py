"""The X-matrix, generated from the plan: objectives, priorities, metrics, owners."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
