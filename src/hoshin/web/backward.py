"""The backward plan: each objective's action chain from its deadline back to today."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
