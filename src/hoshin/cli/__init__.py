"""The ``hoshin`` command line: thin commands over the service layer.

Each module of MODULES registers its commands on ``app`` when imported. ``from hoshin.cli
import app`` imports them all, and so does ``main`` (``hoshin --help`` lists them all) unless
the command line runs a command that needs only its own module (``ALONE``): ``hoshin check``
of a plan file spends no second of CPU loading PDF rendering, the database layer and the
assistant.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typer import Typer

    from hoshin.cli.app import app as app  # at run time the property of _Package

# The modules of the commands, in the order the commands are registered (and listed).
MODULES = (
    "a3",
    "account",
    "actuals",
    "assist",
    "audit",
    "database",
    "documents",
    "plan",
    "review_pack",
    "scim",
    "server",
    "sso",
    "webhook",
    "worker",
    "xmatrix",
)
# Commands that need no other module's: each command's name and its module.
ALONE = {"init": "plan", "demo": "plan", "check": "plan"}

__all__ = ["ALONE", "MODULES", "app", "commands", "main"]


def commands(modules: Sequence[str] = MODULES) -> Typer:
    """The app with the commands of ``modules`` registered (all by default)."""
    for name in modules:
        import_module(f"{__name__}.{name}")
    from hoshin.cli.app import app

    return app


class _Package(ModuleType):
    """This package, whose ``app`` is the Typer app with every command, imported when first
    asked for (``from hoshin.cli import app``)."""

    @property
    def app(self) -> Typer:
        """The app with every command."""
        return commands()

    @app.setter
    def app(self, module: ModuleType) -> None:
        """Ignored: the import system sets the submodule ``hoshin.cli.app`` here once it is
        imported, and ``hoshin.cli.app`` names the Typer app, as it always has."""


sys.modules[__name__].__class__ = _Package


def main() -> None:
    """Entry point of the ``hoshin`` script."""
    named = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    module = ALONE.get(named or "")
    if module is None:
        commands()()
        return
    # A command of ALONE reads a file, writes and ends: the cyclic collector would walk its
    # live objects again and again (tens of millions for a plan of 50,000 people), and the
    # interpreter would free them one by one on the way out. Neither is of any use.
    gc.disable()
    try:
        commands((module,))()
    except SystemExit as done:
        if not isinstance(done.code, int | None):
            raise
        code = done.code or 0
    else:
        code = 0
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
