"""How often Python's cycle collector runs in a process that applies read models.

Catching up allocates millions of short-lived objects (decoded events, folded aggregates, rows)
while it holds large caches (aggregates, keys). At CPython's default threshold (a collection of
the young generation every 700 allocations not yet freed) the collections that reach the older
generations walk those caches again and again: about a third of a rebuild's time in
`scripts/bench_reads.py`. Reference counting frees the short-lived objects whatever the
threshold; the collector only finds cycles, which read models seldom make, so collecting less
often costs no measurable memory (the benchmark's peak RSS is unchanged).
"""

import gc

YOUNG_THRESHOLD = 50_000


def collect_cycles_less_often() -> None:
    """For this whole process: the young generation collected every `YOUNG_THRESHOLD`
    allocations (never more often than it was)."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_THRESHOLD), middle, old)
