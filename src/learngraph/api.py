"""The graph as a JSON HTTP API, and the report page live over it (``learngraph serve``).

Every answer is the ``graph.payloads`` function whose result the matching command prints
with ``--json``, so the API and the command line never disagree. The graph is read whole
once, then again whenever graph.json changes on disk; a request keeps the reading it
started with, so no answer mixes two graphs. Every endpoint is a GET: nothing here writes.
"""

from __future__ import annotations

import asyncio
import gc
import io
import logging
import mimetypes
import tempfile
import zipfile
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated

import networkx as nx
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathPart
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response

from .graph import payloads, queries
from .graph.aliases import AmbiguousTopic, UnresolvedTopic
from .graph.formats import FORMATS
from .graph.formats.printable import json_bytes
from .graph.report import RUNS_FOLDER, read_changes, render_report, report_data
from .graph.store import GraphFileError, load_graph
from .graph.suggestions import SUGGEST_MIN_CITING

logger = logging.getLogger(__name__)

# How often graph.json is looked at for a change: a stat call, about 2 µs.
CHECK_EVERY = 0.5


class JSONAnswer(JSONResponse):
    """An answer as the commands print it with ``--json`` (``json_bytes``), unindented:
    orjson encodes a plan of 70,000 resources ten times faster than ``json``."""

    def render(self, content) -> bytes:
        return json_bytes(content)


@dataclass(eq=False)
class Reading:
    """One reading of graph.json, and the answers worth keeping while it is current."""

    graph: nx.MultiDiGraph
    folder: Path
    exports: dict[str, tuple[bytes, str, str]] = field(default_factory=dict)

    @cached_property
    def report(self) -> str:
        # Once per reading, not per visit; the page asks the API for plans.
        return render_report(report_data(self.graph, read_changes(self.folder / RUNS_FOLDER), plans=False))

    def export(self, fmt: str) -> tuple[bytes, str, str]:
        """The graph in format ``fmt`` as (body, media type, file name); a folder is zipped."""
        if fmt not in self.exports:
            self.exports[fmt] = _export(self.graph, fmt)
        return self.exports[fmt]


def _export(G: nx.MultiDiGraph, fmt: str) -> tuple[bytes, str, str]:
    spec = FORMATS[fmt]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / spec.filename
        spec.write(G, path)
        if not spec.folder:
            media = mimetypes.guess_type(spec.filename)[0] or "application/octet-stream"
            return path.read_bytes(), media, spec.filename
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for file in sorted(path.rglob("*")):
                zipped.write(file, file.relative_to(path.parent))
        return archive.getvalue(), "application/zip", f"{spec.filename}.zip"


class LiveGraph:
    """graph.json as last read whole. ``follow`` swaps in a new reading when the file
    changes (a scheduled run finished); a file that cannot be read keeps the old one.

    The reading in use is kept from the cycle collector (``gc.freeze``), as the commands
    keep theirs: otherwise collections would walk its millions of objects while requests wait.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.seen = self._stamp()
        self.current = self._read()
        gc.freeze()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            found = self.path.stat()
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size

    def _read(self) -> Reading:
        return Reading(load_graph(self.path, whole=True), self.path.parent)

    async def follow(self) -> None:
        """Look at graph.json every ``CHECK_EVERY`` seconds, for ever; a changed file is
        read in a worker thread, so requests go on meanwhile on the current reading."""
        while True:
            await asyncio.sleep(CHECK_EVERY)
            stamp = self._stamp()
            if stamp == self.seen:
                continue
            # Noted before reading, so a file that changes again during the read is read once more.
            self.seen = stamp
            try:
                reading = await asyncio.to_thread(self._read)
            except GraphFileError as error:
                logger.warning("%s; still serving the graph read before", error)
                continue
            # One reference swapped: a request in flight finishes on the reading it took.
            # The old reading goes back to the collector first, which frees it now unless
            # such a request still holds it; then it waits for the next reload.
            gc.unfreeze()
            self.current = reading
            gc.collect()
            gc.freeze()
            logger.info("%s changed: read %d nodes", self.path, reading.graph.number_of_nodes())


def create_app(graph_path, *, cors_origin: str | None = None) -> FastAPI:
    """The API over the graph at ``graph_path``, read now: a bad file raises
    ``GraphFileError``. With ``cors_origin``, pages from that origin may call it."""
    live = LiveGraph(graph_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        following = asyncio.create_task(live.follow())
        yield
        following.cancel()

    app = FastAPI(
        title="learngraph",
        summary="A learning roadmap's knowledge graph: topics, prerequisites, study plans, exports.",
        lifespan=lifespan,
        # The interactive pages load their scripts from a CDN; the description is enough.
        docs_url=None,
        redoc_url=None,
    )
    app.state.live = live
    app.include_router(router)
    app.add_exception_handler(UnresolvedTopic, _unresolved_topic)
    app.add_exception_handler(nx.NetworkXNoPath, _no_path)
    if cors_origin:
        app.add_middleware(CORSMiddleware, allow_origins=[cors_origin], allow_methods=["GET"])
    return app


async def current(request: Request) -> Reading:
    return request.app.state.live.current


Current = Annotated[Reading, Depends(current)]
Topic = Annotated[str, PathPart(description="A topic's id, name, alias or unambiguous prefix, in any case.")]
TOPIC_ERRORS = {
    404: {"description": "No topic fits; `matches` lists the close ones."},
    409: {"description": "More than one topic fits; `matches` lists them."},
}
router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def report(reading: Current) -> HTMLResponse:
    return HTMLResponse(reading.report)


@router.get("/api/topics")
def topics(reading: Current) -> JSONAnswer:
    """Every topic in roadmap order."""
    return JSONAnswer(payloads.topics(reading.graph))


@router.get("/api/topics/{topic:path}", responses=TOPIC_ERRORS)
def topic(topic: Topic, reading: Current) -> JSONAnswer:
    """A topic's resources, and the topics it needs and that need it, directly."""
    return JSONAnswer(payloads.topic(reading.graph, topic))


@router.get("/api/prereqs/{topic:path}", responses=TOPIC_ERRORS)
def prereqs(topic: Topic, reading: Current) -> JSONAnswer:
    """What to learn before the topic, in order, and why (`learngraph prereqs --json`)."""
    return JSONAnswer(payloads.prerequisites(reading.graph, topic))


@router.get("/api/plan/{topic:path}", responses=TOPIC_ERRORS)
def plan(
    topic: Topic,
    reading: Current,
    skip_done: bool = False,
    speed: Annotated[float, Query(gt=0, allow_inf_nan=False, description="Playback speed")] = 1.0,
    passes: Annotated[int, Query(ge=1, le=len(queries.METHOD_SPEEDS))] = 1,
) -> JSONAnswer:
    """A study plan for the topic: steps, resources and hours (`learngraph plan --json`)."""
    return JSONAnswer(payloads.plan(reading.graph, topic, skip_done=skip_done, speed=speed, passes=passes))


@router.get("/api/path", responses=TOPIC_ERRORS)
def path(
    reading: Current,
    source: Annotated[str, Query(alias="from", min_length=1)],
    target: Annotated[str, Query(alias="to", min_length=1)],
) -> JSONAnswer:
    """The shortest prerequisite chain between two topics (`learngraph path --json`)."""
    return JSONAnswer(payloads.path(reading.graph, source, target))


@router.get("/api/next")
def next_topics(reading: Current) -> JSONAnswer:
    """Topics whose prerequisites are done and the topic itself is not (`learngraph next --json`)."""
    return JSONAnswer(payloads.next_topics(reading.graph))


@router.get("/api/unlocks/{topic:path}", responses=TOPIC_ERRORS)
def unlocks(topic: Topic, reading: Current) -> JSONAnswer:
    """Every topic that needs the topic (`learngraph unlocks --json`)."""
    return JSONAnswer(payloads.unlocks(reading.graph, topic))


@router.get("/api/search")
def search(reading: Current, q: Annotated[str, Query(min_length=1)]) -> JSONAnswer:
    """Topics and resources whose names, titles or abstracts contain `q` (`learngraph search --json`)."""
    return JSONAnswer(payloads.search(reading.graph, q))


@router.get("/api/gaps")
def gaps(reading: Current) -> JSONAnswer:
    """Topics without resources, dead links, failed metadata (`learngraph gaps --json`)."""
    return JSONAnswer(queries.gaps(reading.graph))


@router.get("/api/suggest", responses=TOPIC_ERRORS)
def suggest(
    reading: Current,
    topic: str | None = None,
    min_citing: Annotated[int, Query(ge=1)] = SUGGEST_MIN_CITING,
) -> JSONAnswer:
    """Papers the roadmap's papers cite and it lacks, from the graph alone
    (`learngraph suggest --no-search --json`)."""
    return JSONAnswer(payloads.suggestions(reading.graph, topic, min_citing=min_citing))


@router.get(
    "/api/export/{fmt}",
    response_class=Response,
    responses={404: {"description": "No such format; `formats` lists them."}},
)
def export(fmt: str, reading: Current) -> Response:
    """The graph in one of the formats of `learngraph export`; a folder comes zipped."""
    if fmt not in FORMATS:
        return JSONAnswer({"detail": f"no export format {fmt!r}", "formats": list(FORMATS)}, 404)
    body, media, filename = reading.export(fmt)
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


async def _unresolved_topic(request: Request, error: UnresolvedTopic) -> JSONAnswer:
    status = 409 if isinstance(error, AmbiguousTopic) else 404
    return JSONAnswer({"detail": str(error), "matches": error.matches}, status)


async def _no_path(request: Request, error: nx.NetworkXNoPath) -> JSONAnswer:
    return JSONAnswer({"detail": str(error)}, 404)
