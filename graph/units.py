"""Lengths and counts written for a reader to take in at a glance, as the annotated roadmap
and the Obsidian notes show them: "⏱ 1h 28m", "★ 128k"."""

from __future__ import annotations


def compact_time(seconds: float) -> str:
    """5280 -> "1h 28m", 600 -> "10m", 42 -> "42s"."""
    if seconds < 60:
        return f"{round(seconds)}s"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def compact_count(n: int) -> str:
    """128_400 -> "128k", 1234 -> "1.2k", 999 -> "999"."""
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "k")):
        if abs(n) >= size:
            value = n / size
            return (f"{value:.1f}".removesuffix(".0") if abs(value) < 10 else f"{value:.0f}") + suffix
    return str(n)
