"""The admin page: members, roles and API tokens."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
