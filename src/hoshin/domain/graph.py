"""Order and cycles of the two link graphs of a plan: ``supports`` and ``requires``."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping


def topological_order(edges: Mapping[str, Collection[str]]) -> list[str] | None:
    """Every node after the nodes it points to; None when the edges hold a cycle.

    ``edges[a]`` names what ``a`` depends on (the objectives it supports, the actions it
    requires); targets that are not keys of ``edges`` are ignored. Depth-first, so a node
    whose targets are all placed costs a lookup per target, without a stack: in a large
    plan most nodes are (the targets are read twice, so they are collections).
    """
    state: dict[str, bool] = {}  # False while on the current path, True when placed
    order: list[str] = []
    for root, targets in edges.items():
        if root in state:
            continue
        for target in targets:  # the usual node: all it points to is placed already
            if state.get(target) is not True:
                break
        else:
            state[root] = True
            order.append(root)
            continue
        state[root] = False
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(targets))]
        while stack:
            node, pending = stack[-1]
            for target in pending:
                placed = state.get(target)
                if placed is None and target in edges:
                    state[target] = False
                    stack.append((target, iter(edges[target])))
                    break
                if placed is False:
                    return None
            else:
                stack.pop()
                state[node] = True
                order.append(node)
    return order


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """One cycle as a path ``[a, b, ..., a]``, or None when there is none."""
    colour: dict[str, int] = {}  # 1 on the current path, 2 finished
    for root in edges:
        if root in colour:
            continue
        path: list[str] = [root]
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(edges[root]))]
        colour[root] = 1
        while stack:
            node, targets = stack[-1]
            for target in targets:
                if target not in edges:
                    continue
                state = colour.get(target)
                if state == 1:
                    return [*path[path.index(target) :], target]
                if state is None:
                    colour[target] = 1
                    path.append(target)
                    stack.append((target, iter(edges[target])))
                    break
            else:
                colour[node] = 2
                path.pop()
                stack.pop()
    return None
