"""Findings: what a planner should look at, each with a code, severity, subject and message."""

from __future__ import annotations

from hoshin.domain.findings.base import CODES, SEVERITIES, Context, Finding, Severity
from hoshin.domain.findings.checks import find_all

__all__ = ["CODES", "SEVERITIES", "Context", "Finding", "Severity", "find_all"]
