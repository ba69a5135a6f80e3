"""Threads for the container: an ordered pipeline that cannot deadlock.

The main thread submits work in order and takes results in the same order; a worker
never waits for another worker or for a slot, so no interleaving can block: at any
moment the oldest submitted job is running or done, and the main thread waits only for
it. At most `ahead` jobs are submitted and not yet taken, which bounds memory.
"""

from __future__ import annotations

import itertools
import os

from .._checks import MAX_THREADS, check_threads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = ["MAX_THREADS", "check_threads", "ordered", "resolve"]

_NONE = object()


def resolve(threads: int | None, size: int | None, parallel_min: int) -> int:
    """Threads to use for `size` bytes: the default is all cores from `parallel_min` on."""
    if threads is None:
        if size is not None and size < parallel_min:
            return 1
        return max(1, min(os.cpu_count() or 1, MAX_THREADS))
    return threads


def ordered(fn: Callable, items: Iterable, threads: int, ahead: int | None = None) -> Iterator:
    """``map(fn, items)`` on `threads` threads, results in order, at most `ahead`
    (default ``2 * threads``) jobs in flight. With one thread, plain ``map``.

    A job that fails stops the pipeline: its exception is raised here, the jobs not
    started are cancelled and the running ones are waited for.

    Examples
    --------
    >>> from prefixcode.container._threads import ordered
    >>> list(ordered(lambda x: x * x, range(6), threads=2))
    [0, 1, 4, 9, 16, 25]
    """
    it = iter(items)
    head = [x for x in (next(it, _NONE), next(it, _NONE)) if x is not _NONE]
    if threads < 2 or len(head) < 2:  # (one job: no pool to start)
        yield from map(fn, head)
        yield from map(fn, it)
        return
    items = itertools.chain(head, it)
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor  # (only when threads run)

    limit = ahead or 2 * threads
    with ThreadPoolExecutor(threads) as pool:
        pending: deque = deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for job in pending:
                job.cancel()
