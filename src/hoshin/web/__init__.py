"""Server-rendered pages (Jinja2 + htmx): the web app most people use."""
