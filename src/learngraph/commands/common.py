"""What every command shares: the console, settings, roadmap loading, and one-line user errors."""

from __future__ import annotations

import math
import os
from functools import wraps
from pathlib import Path

import click
from rich.console import Console

from ..crawler.lock import RunLocked
from ..crawler.roadmap import Roadmap, RoadmapError, read_roadmap
from ..crawler.settings import SettingsError, load_settings
from ..crawler.sources import Registry
from ..crawler.state import DamagedState, UnknownRun
from ..crawler.text import printable


class PlainConsole(Console):
    """The terminal every command prints to. Titles, names and errors come from strangers'
    pages and roadmaps, so text is shown as written: never read as markup (``[/r/ML]``,
    ``list[str]``) or emoji codes, and with no control character let through to start an
    escape sequence of its own. Styles are asked for with ``style=`` or ``Text``."""

    def __init__(self, **options):
        super().__init__(markup=False, emoji=False, **options)

    def render(self, renderable, options=None):
        for segment in super().render(renderable, options):
            # A control segment is the console's own (cursor moves), never text.
            yield segment if segment.control else segment._replace(text=printable(segment.text))


console = PlainConsole()


class UserError(click.ClickException):
    """A mistake the user can fix: printed as one line, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"learngraph: error: {printable(self.message)}", err=True)


def user_errors(command):
    """Turn the errors a user can cause into one line and exit 2, never a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (RoadmapError, SettingsError, RunLocked, UnknownRun, DamagedState) as error:
            raise UserError(str(error)) from None

    return wrapper


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(f"-s takes KEY=VALUE, got {pair!r}")
        overrides[key.strip()] = value
    return overrides


settings_option = click.option(
    "-s", "--set", "overrides", multiple=True, metavar="KEY=VALUE",
    help="Override a setting (see crawler/settings.py); also LEARNGRAPH_KEY in the environment.",
)
redis_option = click.option(
    "--redis", "redis_url", metavar="URL",
    help="The shared Redis, redis://HOST:PORT/DB (default: the REDIS_URL setting).")
base_url_option = click.option(
    "--base-url", metavar="URL", help="Resolve relative links in the roadmap against this URL."
)


def load(roadmap: str | None, overrides: tuple[str, ...], base_url: str | None) -> Roadmap:
    settings = load_settings(parse_overrides(overrides))
    registry = Registry(settings.getlist("VIDEO_HOSTS"))
    return read_roadmap(roadmap, registry=registry, base_url=base_url,
                        max_bytes=settings.getint("ROADMAP_MAX_BYTES"))


class Speed(click.ParamType):
    """A playback speed: a finite number above 0; ``nan``, ``inf``, 0 or less would turn
    every study time into nonsense."""

    name = "speed"

    def convert(self, value, param, ctx) -> float:
        option = "/".join(param.opts) if param else "speed"
        try:
            speed = float(value)
        except (TypeError, ValueError):
            speed = math.nan
        if not math.isfinite(speed) or speed <= 0:
            raise UserError(f"{option} takes a number above 0, got {value!r}")
        return speed


def output_folder(path) -> Path:
    """``path`` as a folder the command can write into, checked before any work, so a
    bad one costs nothing and leaves nothing half-written. It need not exist yet."""
    path = Path(path)
    nearest = next(p for p in (path, *path.parents) if os.path.lexists(p))
    if not nearest.is_dir():
        where = "" if nearest == path else f" ({nearest} is a file)"
        raise UserError(f"{path} is not a folder{where}")
    if not os.access(nearest, os.W_OK | os.X_OK):
        raise UserError(f"{path}: no permission to write in {nearest}")
    return path


def output_file(path) -> Path:
    """``path`` as a file the command can write, checked like ``output_folder``."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder; give the name of a file to write")
    output_folder(path.parent)
    return path
