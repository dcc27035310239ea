"""A linker's batches of pairs worked out two at a time, on two cores.

Most of a batch's time is spent in rapidfuzz and numpy, which let go of Python's lock while they
work (100k cases: ~70 % of the scoring's samples had no thread holding it), so a second thread
takes batches while the first works on its own. The results come back in the batches' order, so
what is made of them is the same whichever thread worked out which.

What a batch shares with the others is only ever added to and replaced whole (compare._remembered,
Model._remember): two threads may work out the same entry once each, never a wrong one.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

# Two threads: the second core. More would only share the same cores (and each batch in flight
# holds its working arrays: ~60 MB per 1M pairs).
THREADS = 2


def threads() -> int:
    """The threads batches are worked on in, on this machine now: two where a core is free for the
    second. On a machine whose cores are all busy already, a second thread only adds work (100k
    cases, load 4.6 on two cores: the scoring took 15-20 % longer in two threads than in one; with
    the second core free, 35 % less). The load is the last minute's average, which counts this
    import's own thread (no such figure on Windows: two threads)."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 0.0
    free = cores - max(busy - 1.0, 0.0)     # cores left over by the rest of the machine
    return max(1, min(THREADS, cores, int(free + 0.5)))


@contextmanager
def ordered(work, items, at_once: int | None = None):
    """Yields an iterator of work(item) for each item, in order, worked out up to `at_once` at a time
    (None: threads()).
    When the block ends early (a cancel raised by the caller's progress, an error in a batch), the
    batches not yet begun are dropped and those under way are waited for, before the block is left."""
    items = list(items)
    n = min(at_once or threads(), len(items))
    if n <= 1:
        yield (work(item) for item in items)
        return
    pool = ThreadPoolExecutor(n, thread_name_prefix="link batch")
    futures = [pool.submit(work, item) for item in items]
    try:
        yield (f.result() for f in futures)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
