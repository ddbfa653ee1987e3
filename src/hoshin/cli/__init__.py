"""The ``hoshin`` command line: thin commands over the service layer."""

from __future__ import annotations

from hoshin.cli import (
    a3,
    account,
    actuals,
    assist,
    audit,
    database,
    documents,
    plan,
    review_pack,
    server,
    webhook,
    worker,
    xmatrix,
)
from hoshin.cli.app import app

__all__ = [
    "a3",
    "account",
    "actuals",
    "app",
    "assist",
    "audit",
    "database",
    "documents",
    "main",
    "plan",
    "review_pack",
    "server",
    "webhook",
    "worker",
    "xmatrix",
]


def main() -> None:
    """Entry point of the ``hoshin`` script."""
    app()
