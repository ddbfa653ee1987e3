"""How a figure reads to people, one rule for the pages and the messages about figures."""

from __future__ import annotations


def number(value: float | None) -> str:
    """A figure as people read it: no trailing zeros, at most 3 significant decimals."""
    if value is None:
        return ""
    return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
