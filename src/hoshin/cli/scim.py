"""Single sign-on and SCIM commands: being built (issue 19)."""

from __future__ import annotations
