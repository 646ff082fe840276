"""Spread per-entity work over forked processes: the graph index is shared copy-on-write, and every
output file depends on its entity alone, so the result is the same as a serial run."""

from __future__ import annotations

import gc
import multiprocessing
import os

# Below this many items, starting processes costs more than it saves.
MIN_PARALLEL = 2000
_task = None
_items: list = []


def _start_worker() -> None:
    # Workers make many short-lived containers and keep no cycles worth collecting often: fewer,
    # cheaper collections (the shared index is frozen, see run()).
    gc.set_threshold(20_000, 50, 50)


def _run_range(bounds: tuple[int, int]) -> int:
    start, stop = bounds
    for item in _items[start:stop]:
        _task(item)
    return stop - start


def workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(task, items: list) -> None:
    """Call ``task(item)`` for every item, in forked worker processes when there are many."""
    global _task, _items
    count = workers()
    if len(items) < MIN_PARALLEL or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            task(item)
        return
    _task, _items = task, items
    # Objects that exist before the fork (the graph index above all) go to the permanent generation:
    # the workers' collections never walk them, and so never write to (and copy) their pages.
    gc.freeze()
    try:
        size = -(-len(items) // (count * 8))
        ranges = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
        with multiprocessing.get_context("fork").Pool(count, initializer=_start_worker) as pool:
            done = sum(pool.map(_run_range, ranges, chunksize=1))
        if done != len(items):
            raise RuntimeError(f"parallel run did {done} of {len(items)} items")
    finally:
        gc.unfreeze()
        _task, _items = None, []
