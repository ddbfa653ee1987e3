"""``python -m hoshin`` is the ``hoshin`` command."""

from hoshin.cli import main

main()
