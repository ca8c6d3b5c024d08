"""``learngraph serve``: the graph as a JSON HTTP API (learngraph/api.py), for other tools
and for the report, which then shows plans as the API gives them."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import click

from ..graph.store import GraphFileError
from .common import UserError, console, default_graph, graph_option, user_errors

# What the serve extra installs; without them the command says how to get them.
SERVE_EXTRA = ("fastapi", "uvicorn", "starlette")


@click.command()
@graph_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; 0.0.0.0 opens the API to every machine that can reach this one.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0 takes any free port."
)
@click.option(
    "--cors",
    "cors_origin",
    metavar="ORIGIN",
    help="Let pages from ORIGIN (e.g. https://example.org) call the API from a browser.",
)
@user_errors
def serve(graph_path, host, port, cors_origin) -> None:
    """Serve the graph as a JSON HTTP API, and the report at / with live study plans.

    The answers are those of the commands' --json: /api/topics, /api/topics/TOPIC,
    /api/prereqs/TOPIC, /api/plan/TOPIC?skip_done=&speed=&passes=, /api/path?from=&to=,
    /api/next, /api/unlocks/TOPIC, /api/search?q=, /api/gaps, /api/suggest,
    /api/export/FORMAT; their description is at /openapi.json. When graph.json changes
    (a scheduled run finished), the API reads it again. Only GET: nothing is written.

    \b
    Example:
      learngraph serve --port 8000 &
      curl 'http://127.0.0.1:8000/api/plan/LoRA?passes=3'
    """
    try:
        import uvicorn

        from ..api import create_app
    except ModuleNotFoundError as missing:
        if missing.name not in SERVE_EXTRA:
            raise
        raise UserError("learngraph serve needs the serve extra: pip install 'learngraph[serve]'") from None
    path = Path(graph_path) if graph_path else default_graph()
    try:
        app = create_app(path, cors_origin=cors_origin)
    except GraphFileError as error:
        raise UserError(str(error)) from None
    try:
        listener = socket.create_server(
            (host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET
        )
    except OSError as error:
        raise UserError(f"cannot listen on {host} port {port}: {error.strerror or error}") from None
    bound, port = listener.getsockname()[:2]
    url = f"http://[{bound}]:{port}/" if ":" in bound else f"http://{bound}:{port}/"
    # The API's own lines (the graph read again, a damaged file kept out) go to stderr.
    logging.basicConfig(format="learngraph: %(message)s", level=logging.INFO)
    console.print(
        f"Serving {path} at {url} (the API under {url}api/, its description at {url}openapi.json)",
        soft_wrap=True,
    )
    console.file.flush()
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[listener])
