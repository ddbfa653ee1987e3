"""Single sign-on and SCIM routes: being built (issue 19)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
