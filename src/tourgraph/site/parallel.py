"""Spread per-entity work over forked processes: the graph index is shared copy-on-write, and every
output file depends on its entity alone, so the result is the same as a serial run."""

from __future__ import annotations

import gc
import multiprocessing
import os

# Below this many items, starting processes costs more than it saves.
MIN_PARALLEL = 2000
# Ranges of items per worker: enough that the last ones to finish leave little idle time.
RANGES_PER_WORKER = 16
_task = None
_items: list = []
_jobs: list = []


def _start_worker() -> None:
    # Workers make many short-lived containers and few cycles: fewer young-generation collections
    # (the objects made before the fork are frozen, see run(), so no collection walks them).
    gc.set_threshold(20_000, 50, 50)


def _run_unit(unit: tuple[int, int]) -> int:
    start, stop = unit
    if start < 0:
        _jobs[-start - 1]()
        return 0
    for item in _items[start:stop]:
        _task(item)
    return stop - start


def workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(task, items: list, jobs=()) -> None:
    """Call ``task(item)`` for every item, and every one of ``jobs`` (callables without arguments,
    started first: give them in decreasing size), in forked worker processes when there are many."""
    global _task, _items, _jobs
    jobs = list(jobs)
    count = workers()
    if len(items) < MIN_PARALLEL or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            job()
        for item in items:
            task(item)
        return
    _task, _items, _jobs = task, items, jobs
    # Objects that exist before the fork (the graph index above all) go to the permanent generation:
    # the workers' collections never walk them, and so never write to (and copy) their pages.
    gc.freeze()
    try:
        size = -(-len(items) // (count * RANGES_PER_WORKER))
        units = [(-n - 1, 0) for n in range(len(jobs))]
        units += [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
        with multiprocessing.get_context("fork").Pool(count, initializer=_start_worker) as pool:
            done = sum(pool.map(_run_unit, units, chunksize=1))
        if done != len(items):
            raise RuntimeError(f"parallel run did {done} of {len(items)} items")
    finally:
        gc.unfreeze()
        _task, _items, _jobs = None, [], []

