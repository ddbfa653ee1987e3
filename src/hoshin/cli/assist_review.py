"""hoshin assist: review (being written)."""

from __future__ import annotations
