"""Pause Python's cycle collector while a workbook is read and analysed.

Reading a large ledger creates about a million small objects (cells, then pandas columns) that
live until the command ends. Each time the collector runs it walks all of them, and none of them
is garbage: on the 10,000-contract benchmark this was about 15 % of `refresh`
(docs/benchmarks.md). Reference counting still frees everything as usual; only the search for
reference cycles waits until the block ends.

When the block ends, everything still alive is moved to the oldest generation at once
(``gc.freeze`` then ``gc.unfreeze``: two list splices, no walk). Simply re-enabling the collector
would leave those objects in the youngest generation, and the next allocation would walk all of
them (about 0.1–0.3 s after a 10,000-contract refresh) to find nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cycle collector inside the block; restore its previous state after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()  # every tracked object to the permanent generation, young counts reset
            gc.unfreeze()  # … and back into the oldest generation, collected as usual
            gc.enable()
