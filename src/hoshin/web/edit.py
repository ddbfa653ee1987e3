"""Plan editing: forms for the vision, units, people, objectives, metrics and actions."""

from __future__ import annotations

from fastapi import APIRouter

from hoshin.web import edit_action, edit_index, edit_objective, edit_people

router = APIRouter()
for module in (edit_index, edit_people, edit_objective, edit_action):
    router.include_router(module.router)
