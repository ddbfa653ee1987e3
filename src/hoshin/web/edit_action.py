"""Editing actions: owner, unit, the objectives they serve and metrics they move, dates,
the actions they require, progress, resources and risks with their contingencies."""

from __future__ import annotations

from fastapi import APIRouter

from hoshin.domain.model import RISK_LEVELS, Action
from hoshin.service import action as action_service
from hoshin.web.edit_base import Editable, register
from hoshin.web.edit_values import action_values
from hoshin.web.forms import action_of
from hoshin.web.references import Reference

router = APIRouter()


ACTIONS: Editable[Action] = Editable(
    kind="action", plural="actions", template="edit_action.html", parse=action_of,
    values=action_values,
    read=lambda session, here, key: action_service.read_action(session, org=here.org, key=key),
    create=lambda session, change, here, action, _parent: action_service.create_action(
        session, change=change, asker=here.asker, action=action
    ),
    update=lambda session, change, here, action: action_service.update_action(
        session, change=change, asker=here.asker, action=action
    ),
    delete=lambda session, change, here, key: action_service.delete_action(
        session, change=change, asker=here.asker, key=key
    ),
    context=lambda _session, _here, _form, _key, _parent: {"risk_levels": RISK_LEVELS},
    blank={"progress": "0"},
    refs={"owner": Reference("people"), "unit": Reference("units"),
          "serves": Reference("objectives", many=True), "moves": Reference("metrics", many=True),
          "requires": Reference("actions", many=True)},
)  # fmt: skip

register(router, ACTIONS)
