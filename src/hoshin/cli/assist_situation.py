"""hoshin assist: situation (being written)."""

from __future__ import annotations
