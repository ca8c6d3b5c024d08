"""Building, writing and reading a large graph make millions of objects that all live on."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def no_collection():
    """Keep the cycle collector off: among millions of new objects, none of them garbage,
    each collection would only waste seconds walking them. Also a decorator."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
