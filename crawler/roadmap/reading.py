"""Reading a roadmap: the embedded one, a file or a URL, within a size limit, decoded from
whatever encoding it was written in."""

from __future__ import annotations

import codecs
from importlib.resources import files
from pathlib import Path
from urllib.request import Request, urlopen

from charset_normalizer import from_bytes

from ..sources import Registry
from .model import Roadmap, RoadmapError
from .walker import parse_roadmap


def read_roadmap(
    location: str | Path | None,
    *,
    registry: Registry | None = None,
    base_url: str | None = None,
    max_bytes: int = 10 * 1024 * 1024,
) -> Roadmap:
    """Read and parse a roadmap file or URL; the embedded roadmap when ``location`` is None.

    Raises RoadmapError with a one-line message for anything a user can get wrong.
    """
    data, source = roadmap_bytes(location, max_bytes)
    if is_url(source):
        base_url = base_url or source
    return parse_roadmap(decode_text(data, source), source, registry=registry, base_url=base_url)


def roadmap_bytes(location: str | Path | None, max_bytes: int = 10 * 1024 * 1024) -> tuple[bytes, str]:
    """The bytes of a roadmap file or URL (the embedded roadmap when ``location`` is None),
    and the name to give it. Raises RoadmapError as ``read_roadmap`` does."""
    if location is None:
        return embedded_roadmap_bytes(), "nlp-roadmap.md"
    if is_url(str(location)):
        return _fetch(str(location), max_bytes), str(location)
    return _read_file(Path(location), max_bytes), str(location)


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def embedded_roadmap_bytes() -> bytes:
    """The NLP roadmap shipped with learngraph, read when no roadmap is given."""
    return files(__package__).joinpath("data", "nlp-roadmap.md").read_bytes()


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise RoadmapError(f"{path}: is a directory, not a Markdown file")
        if size > max_bytes:
            raise RoadmapError(
                f"{path}: {size / 2**20:.1f} MiB is more than the {max_bytes / 2**20:.0f} MiB "
                "a roadmap may have (raise ROADMAP_MAX_BYTES to read it)"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise RoadmapError(f"{path}: no such file") from None
    except PermissionError:
        raise RoadmapError(f"{path}: permission denied") from None


def _fetch(url: str, max_bytes: int) -> bytes:
    try:
        with urlopen(Request(url, headers={"User-Agent": "learngraph"}), timeout=30) as response:
            data = response.read(max_bytes + 1)
    except OSError as error:
        raise RoadmapError(f"{url}: cannot fetch the roadmap ({error})") from None
    if len(data) > max_bytes:
        raise RoadmapError(f"{url}: more than the {max_bytes / 2**20:.0f} MiB a roadmap may have")
    return data


# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, source: str) -> str:
    """UTF-16 or UTF-32 when a BOM says so; UTF-8 first (with or without BOM); otherwise
    the detected charset (GBK, Big5, ...)."""
    for bom, encoding in UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise RoadmapError(
                    f"{source}: starts with a {encoding.upper()} mark but is not {encoding.upper()} text"
                ) from None
    if b"\x00" in data[:8192]:
        raise RoadmapError(f"{source}: a binary file, not Markdown text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise RoadmapError(f"{source}: not text in any encoding learngraph knows")
    # A short CJK text decodes cleanly as GBK, Big5 and EUC-JP alike; of equally clean
    # readings take GB18030 (a superset of GBK), the legacy encoding Chinese roadmaps use.
    tied = [m for m in matches if m.chaos <= best.chaos]
    return str(next((m for m in tied if m.encoding == "gb18030"), best))
