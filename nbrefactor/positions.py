"""Where each name is bound, read and changed, by position in notebook order: answers in O(log n)."""
from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Dict, List, Optional, Sequence, Tuple

from .model import Statement


class NameIndex:
    """Sorted positions per name, for questions like "is `x` bound again after position 12?"."""

    def __init__(self, statements: Sequence[Statement]):
        self.binds: Dict[str, List[int]] = defaultdict(list)  # definite or maybe bindings, deletions, `global` writes
        self.reads: Dict[str, List[int]] = defaultdict(list)  # immediate reads, exposed or not
        self.mutations: Dict[str, List[int]] = defaultdict(list)
        self.deferred: Dict[str, List[int]] = defaultdict(list)
        self.assigned: Dict[str, List[int]] = defaultdict(list)  # definite or maybe bindings only
        self.held: Dict[str, List[Tuple[int, str, Tuple[str, ...]]]] = defaultdict(list)  # value -> (position, container, keys)
        for position, statement in enumerate(statements):
            facts = statement.facts
            for name in set(facts.binds) | set(facts.maybe_binds):
                self.assigned[name].append(position)
            for value, container, keys in facts.containers:
                if not self.held[value] or self.held[value][-1][0] != position:
                    self.held[value].append((position, container, keys))
            for name in set(facts.binds) | set(facts.maybe_binds) | set(facts.deletes) | set(facts.global_writes):
                self.binds[name].append(position)
            for name in set(facts.reads) | set(facts.all_reads):
                self.reads[name].append(position)
            for name in facts.mutates:
                self.mutations[name].append(position)
            for name in facts.deferred_reads:
                self.deferred[name].append(position)

    def bound_elsewhere(self, name: str, position: int) -> bool:
        return any(p != position for p in self.binds.get(name, ()))

    def bound_after(self, name: str, position: int) -> bool:
        positions = self.binds.get(name, ())
        return bisect.bisect_right(positions, position) < len(positions)

    def bound_before(self, name: str, position: int) -> bool:
        return bisect.bisect_left(self.binds.get(name, ()), position) > 0

    def read_before(self, name: str, position: int) -> bool:
        return bisect.bisect_left(self.reads.get(name, ()), position) > 0

    def changed_between(self, name: str, start: int, end: int) -> bool:
        """Bound, deleted or changed in place at a position in (start, end]."""
        for table in (self.binds, self.mutations):
            positions = table.get(name, ())
            if bisect.bisect_right(positions, end) > bisect.bisect_right(positions, start):
                return True
        return False

    def mutated(self, name: str) -> bool:
        return bool(self.mutations.get(name))

    def container_of(self, name: str, start: int) -> Optional[Tuple[int, str, Tuple[str, ...]]]:
        """(position, container, keys) of the last container literal before `start` that holds `name`,
        when `name` was not bound again after it; None otherwise."""
        held = self.held.get(name, ())
        last = bisect.bisect_left(held, (start,)) - 1
        if last < 0:
            return None
        assigned = self.assigned.get(name, ())
        rebound = bisect.bisect_left(assigned, start) - 1
        return held[last] if rebound < 0 or assigned[rebound] <= held[last][0] else None
