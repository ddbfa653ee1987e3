"""hoshin assist: metrics (being written)."""

from __future__ import annotations
