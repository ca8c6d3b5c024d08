"""Check each record against the contract; a bad record is kept with its problem noted."""

from __future__ import annotations

from itemadapter import ItemAdapter

from learngraph.crawler.records import Kind, Status, with_problems

NON_NEGATIVE = (
    "duration",
    "view_count",
    "stars",
    "forks",
    "open_issues",
    "playlist_count",
    "word_count",
    "reading_time",
)


def problems(record: ItemAdapter) -> list[str]:
    found = []
    if not record.get("id") or not record.get("url"):
        found.append("record without id or url")
    for name, values in (("status", Status), ("kind", Kind)):
        if not _is_one_of(record.get(name), values):
            found.append(f"unknown {name} {record.get(name)!r}")
    for key in NON_NEGATIVE:
        value = record.get(key)
        if value is not None and (not isinstance(value, int) or value < 0):
            found.append(f"{key} is not a count: {value!r}")
    if record.get("status") == Status.OK and not record.get("title"):
        found.append("no title")
    return found


class ValidatePipeline:
    def process_item(self, item):
        record = ItemAdapter(item)
        found = problems(record)
        if found:
            record["error"] = with_problems(record.get("error"), found)
            if record.get("status") == Status.OK:
                record["status"] = Status.PARTIAL
        return item


def _is_one_of(value, enum) -> bool:
    try:
        enum(value)
    except ValueError:
        return False
    return True
