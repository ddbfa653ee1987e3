"""Catchball proposals and their rounds under /api/v1/orgs/{org}/catchball."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
