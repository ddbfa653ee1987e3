"""Catchball: a proposal goes down to a unit, which accepts or counter-proposes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
