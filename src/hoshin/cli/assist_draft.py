"""hoshin assist: draft (being written)."""

from __future__ import annotations
