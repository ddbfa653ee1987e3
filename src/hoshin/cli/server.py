"""`hoshin serve`: the pages and the API on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from hoshin.cli.app import app
from hoshin.config import settings
from hoshin.runtime.proxies import proxy_options
from hoshin.runtime.sessions import open_sessions
from hoshin.runtime.workers import hold_address, serve_workers


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes; they share the database and the port.")
    ] = 1,
) -> None:
    """Serve the API on HOSHIN_DATABASE_URL; refuses an outdated schema. Forwarded client
    addresses are believed only from HOSHIN_TRUSTED_PROXIES."""
    proxies = proxy_options(settings().trusted_proxies)  # each worker reads it again
    sessions = open_sessions(settings().database_url)  # fails early, with the command to run
    sessions.kw["bind"].dispose()
    holder = hold_address(host, port)  # a port in use is refused here, in one line
    typer.echo(f"hoshin serves http://{host}:{port} (API docs at /api/docs)")
    if workers > 1:
        serve_workers(holder, workers, log_level="warning")
        return
    holder.close()  # one process: uvicorn binds the address itself
    uvicorn.run(
        "hoshin.server:create_server",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        **proxies,
    )
