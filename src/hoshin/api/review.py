"""Monthly reviews, annual reflections and comments under /api/v1/orgs/{org}."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
