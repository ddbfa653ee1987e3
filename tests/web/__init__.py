"""The browser suite is a package (``web``) so that its conftest.py is ``web.conftest``
for mypy, not a second top-level ``conftest`` beside tests/conftest.py."""
