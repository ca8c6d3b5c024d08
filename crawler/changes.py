"""What changed between two runs, for the roadmap's maintainer: a pure comparison of two
snapshots (records by id) and its renderings as Markdown and JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .records import is_dead, is_failed

HEADINGS = {
    "died": "Links that died",
    "came_back": "Links that came back",
    "moved": "Redirects that moved",
    "retitled": "Titles changed",
    "archived": "Repositories archived",
    "stars": "Large star changes",
    "new_version": "Papers with a new version",
    "added": "Added to the roadmap",
    "removed": "Removed from the roadmap",
}


@dataclass
class Change:
    kind: str  # a key of HEADINGS
    id: str
    url: str
    before: Any = None
    after: Any = None


def compare(
    before: dict[str, dict], after: dict[str, dict], stars_min: int = 100, stars_ratio: float = 0.1
) -> list[Change]:
    """The changes from snapshot ``before`` to ``after``, in ``after``'s order.

    A link dies when its site says the resource is gone (``is_dead``) after giving its
    metadata, and comes back when it gives metadata again; a failure that is no answer
    (a timeout, say) is neither. Field changes (title, final URL, stars, ...) count only
    while the link gave metadata in both: a dead link's title is its link text, no news
    beside its death.
    """
    changes = []
    for resource_id, new in after.items():
        old = before.get(resource_id)
        if old is None:
            changes.append(Change("added", resource_id, new["url"], after=new.get("status")))
            continue
        found = _changes(old, new, stars_min, stars_ratio)
        changes += [Change(kind, resource_id, new["url"], was, now) for kind, was, now in found]
    changes += [
        Change("removed", resource_id, old["url"], before=old.get("status"))
        for resource_id, old in before.items()
        if resource_id not in after
    ]
    return changes


def _changes(old: dict, new: dict, stars_min: int, stars_ratio: float):
    was, now = old.get("status"), new.get("status")
    if not is_failed(was) and is_dead(now):
        yield "died", was, f"{now} ({new['error']})" if new.get("error") else now
    elif is_dead(was) and not is_failed(now):
        yield "came_back", was, now
    if is_failed(was) or is_failed(now):
        return
    for kind, field in (("moved", "final_url"), ("retitled", "title"), ("new_version", "version")):
        if old.get(field) and new.get(field) and old[field] != new[field]:
            yield kind, old[field], new[field]
    if new.get("archived") and not old.get("archived"):
        yield "archived", False, True
    stars_was, stars_now = old.get("stars"), new.get("stars")
    if isinstance(stars_was, int) and isinstance(stars_now, int):
        moved = abs(stars_now - stars_was)
        if moved >= stars_min and moved >= stars_ratio * max(stars_was, 1):
            yield "stars", stars_was, stars_now


def changes_json(run: str, previous: str | None, changes: list[Change], counts: dict) -> dict:
    return {
        "run": run,
        "previous": previous,
        "counts": counts,
        "changes": [asdict(change) for change in changes],
    }


def changes_markdown(run: str, previous: str | None, changes: list[Change], counts: dict) -> str:
    """The report a maintainer reads: one section per kind of change, one line per link."""
    since = f"since run {previous}" if previous else "first run"
    lines = [f"# Changes in run {run} ({since})", ""]
    if counts:
        lines += [", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in counts.items()), ""]
    if not changes:
        lines.append("Nothing changed.")
    for kind, heading in HEADINGS.items():
        listed = [c for c in changes if c.kind == kind]
        if not listed:
            continue
        lines += [f"## {heading} ({len(listed)})", ""]
        for change in listed:
            detail = (
                f": {change.before} → {change.after}"
                if kind not in ("added", "removed")
                else f" ({change.after or change.before})"
            )
            lines.append(f"- <{change.url}>{detail}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
