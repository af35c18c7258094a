"""Read models shared out between the processes that run them (`registre project --workers`).

Each read model keeps its own position, moved in the transaction of its rows, so read models
that do not read each other's tables can follow the log in separate processes: each process
runs a runner over its share, and exactly-once holds per read model as with one runner. The
shares are balanced by the read models' `weight` (heaviest first, each to the lightest share).
"""

from collections.abc import Sequence

from projections.model import ReadModel


def share_out(models: Sequence[type[ReadModel]], workers: int) -> list[list[type[ReadModel]]]:
    """`workers` shares of `models` (fewer when there are fewer models), none empty."""
    if workers < 1:
        raise ValueError("at least one worker")
    shares: list[list[type[ReadModel]]] = [[] for _ in range(min(workers, len(models)))]
    loads = [0] * len(shares)
    for model in sorted(models, key=lambda m: -m.weight):
        lightest = loads.index(min(loads))
        shares[lightest].append(model)
        loads[lightest] += model.weight
    return shares
