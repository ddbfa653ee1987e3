"""Plan editing: forms for the vision, units, people, objectives, metrics and actions, and
the pickers' matches."""

from __future__ import annotations

from fastapi import APIRouter

from hoshin.web import edit_action, edit_index, edit_objective, edit_people, pick

router = APIRouter()
for module in (edit_index, edit_people, edit_objective, edit_action, pick):
    router.include_router(module.router)
