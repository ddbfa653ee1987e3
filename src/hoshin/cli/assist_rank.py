"""hoshin assist: rank (being written)."""

from __future__ import annotations
