"""A workbook cell's value as the plan file writes it, by the kind of its column
(hoshin.domain.sheets), and OOXML's escape of text that XML cannot keep."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from hoshin.domain.months import Month
from hoshin.domain.sheets import Kind, Link, parse_ids, parse_links
from hoshin.planfile.schema import shown

# OOXML's escape for a character XML cannot keep (a carriage return would read back as a
# line feed): _x000D_, and _x005F_ for a _ that would start such an escape by itself.
_STARTS_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escaped(text: str) -> str:
    """``text`` as a cell keeps it exactly (Excel shows the carriage return)."""
    return _STARTS_ESCAPE.sub("_x005F_", text).replace("\r", "_x000D_")


def unescaped(text: str) -> str:
    """The text ``escaped`` wrote (and Excel writes)."""
    return _ESCAPE.sub(lambda found: chr(int(found.group(1), 16)), text) if "_x" in text else text


def cell_value(kind: Kind, cell: Any) -> Any:
    """A cell's value as the plan file writes it (months as text, days as dates, links as
    the mapping of ids); ValueError saying why the cell holds no value of ``kind``."""
    if isinstance(cell, str):
        cell = unescaped(cell).strip()
    if kind == "text":
        return _text(cell)
    if kind in ("number", "share"):
        return _number(cell)
    if kind == "whole":
        number = _number(cell, "a whole number")
        if isinstance(number, float) and not number.is_integer():
            raise ValueError(f"expected a whole number, got {shown(cell)}")
        return int(number)
    if kind == "month":
        return _month(cell)
    if kind == "day":
        return _day(cell)
    if kind == "boolean":
        return _boolean(cell)
    if not isinstance(cell, str):
        raise ValueError(f"expected ids separated by commas, got {shown(cell)}")
    if kind == "ids":
        return parse_ids(cell)
    if kind == "strengths":
        return {link.key: link.strength or "strong" for link in _links(cell, weighted=False)}
    return {
        link.key: (
            1.0 if link.weight is None else link.weight
        ) if link.strength is None else {
            "weight": 1.0 if link.weight is None else link.weight, "strength": link.strength
        }
        for link in _links(cell, weighted=True)
    }  # fmt: skip


def _text(cell: Any) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        # an id or a name a spreadsheet took for a number (2026, 1e3): the digits as shown
        return str(int(cell)) if float(cell).is_integer() else repr(cell)
    raise ValueError(f"expected text, got {shown(_plain(cell))}")


def _number(cell: Any, wanted: str = "a number") -> int | float:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, str):
        try:
            return float(cell)
        except ValueError:
            pass
    raise ValueError(f"expected {wanted}, got {shown(_plain(cell))}")


def _month(cell: Any) -> str:
    if isinstance(cell, datetime | date):
        return str(Month.of_date(cell))
    if isinstance(cell, str):
        try:
            return str(Month.parse(cell))
        except ValueError as error:
            raise ValueError(f"{error}, or use a date cell") from None
    raise ValueError(f"expected a month: YYYY-MM text or a date cell, got {shown(_plain(cell))}")


def _day(cell: Any) -> date | str:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date | str):
        return cell  # text: the plan file's own rule reads it (YYYY-MM-DD)
    raise ValueError(f"expected a date: a date cell or YYYY-MM-DD, got {shown(_plain(cell))}")


def _boolean(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, str) and cell.lower() in ("true", "false", "yes", "no"):
        return cell.lower() in ("true", "yes")
    raise ValueError(f"expected TRUE or FALSE, got {shown(_plain(cell))}")


def _links(cell: str, *, weighted: bool) -> list[Link]:
    """The links of a cell, each id once."""
    links = parse_links(cell, weighted=weighted)
    seen: set[str] = set()
    for link in links:
        if link.key in seen:
            raise ValueError(f"lists {shown(link.key)} twice")
        seen.add(link.key)
    return links


def _plain(cell: Any) -> Any:
    """A cell's value for a message (a date cell as its day)."""
    return cell.date().isoformat() if isinstance(cell, datetime) else cell
