"""A form's references in people's words: each field that names other entities of the plan
(an owner, a unit, supported objectives...) takes an id or an exact name, which is resolved
to its id before the form is read; a new entity without an id gets one made from its title;
and the ids a form shows get their labels for the pickers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from hoshin.errors import InvalidInput
from hoshin.runtime.sessions import Session
from hoshin.service import search
from hoshin.service.search import Kind
from hoshin.web.deps import Here
from hoshin.web.forms import Form

_ROW = re.compile(r"([a-z]+)-(?:[0-9]{1,4}|new)-([a-z]+)")


@dataclass(frozen=True, slots=True)
class Reference:
    """A field naming entities of ``kind``: one, or several (``many``) separated by commas."""

    kind: Kind
    many: bool = False


References = Mapping[str, Reference]


def reference_of(name: str, refs: References) -> Reference | None:
    """The reference of field ``name``: its own, or its group's (``supports-2-id`` is
    ``supports-*-id``'s)."""
    if name in refs:
        return refs[name]
    row = _ROW.fullmatch(name)
    return None if row is None else refs.get(f"{row[1]}-*-{row[2]}")


def _items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,\n]", text) if item.strip()]


def resolve_names(session: Session, here: Here, form: Form, refs: References) -> None:
    """Replaces each name typed in a reference field by the id it names (in ``form.values``);
    a name several entities share is a problem of the field, listing them."""
    for name, typed in list(form.values.items()):
        ref = reference_of(name, refs)
        if ref is None or not typed.strip():
            continue
        items = _items(typed) if ref.many else [typed.strip()]
        found = []
        for item in items:
            try:
                found.append(search.resolve(session, org=here.org, kind=ref.kind, typed=item))
            except InvalidInput as error:
                form.add(name, error.message)
                found.append(item)
        form.values[name] = ", ".join(found)


def fill_new_id(session: Session, here: Here, form: Form, *, titled: str, kind: str) -> None:
    """Gives a new entity whose id was left empty the id its title (``titled``) suggests."""
    title = form.value(titled).strip()
    if form.value("id").strip() or not title:
        return
    form.values["id"] = search.new_key(session, org=here.org, title=title, fallback=kind)


def picked(session: Session, here: Here, form: Form, refs: References) -> dict[str, dict[str, str]]:
    """The labels of the ids each reference field holds, by field (for the pickers)."""
    wanted: dict[Kind, set[str]] = {}
    fields: dict[str, tuple[Kind, list[str]]] = {}
    for name, text in form.values.items():
        ref = reference_of(name, refs)
        if ref is None or not text.strip():
            continue
        keys = _items(text) if ref.many else [text.strip()]
        fields[name] = (ref.kind, keys)
        wanted.setdefault(ref.kind, set()).update(keys)
    labels = {
        kind: search.labels(session, org=here.org, kind=kind, keys=keys)
        for kind, keys in wanted.items()
    }
    return {
        name: {key: labels[kind][key] for key in keys if key in labels[kind]}
        for name, (kind, keys) in fields.items()
    }
