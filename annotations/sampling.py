"""Assignment plans for content-analysis studies: pure functions of ids, loads and a seed.

A plan never removes an assignment; it only adds (source, coder) pairs that do not exist yet.
Balance counts each coder's existing assignments too, so a second plan evens out the first.
Ties between equally loaded coders are broken by a seeded shuffle, so the same sources, coders,
loads and seed always give the same plan (the seed is shown and stored for that reason).

The reliability sample follows Krippendorff's advice for a reliability subsample: every source
is coded by one coder, and a random share of the sources by every coder, on which agreement is
then measured.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass

Pair = tuple[int, int]  # (source id, coder id)


@dataclass(frozen=True)
class Plan:
    pairs: list[Pair]  # to add, in source order
    overlap: list[int]  # sources given to every coder (reliability sample), sorted
    seed: int

    def load(
        self, coders: Iterable[int], existing: Iterable[Pair] = ()
    ) -> dict[int, tuple[int, int]]:
        """Each coder's (existing, added) number of assignments under this plan."""
        before = {coder: 0 for coder in coders}
        for _, coder in existing:
            if coder in before:
                before[coder] += 1
        added = dict.fromkeys(before, 0)
        for _, coder in self.pairs:
            added[coder] += 1
        return {coder: (before[coder], added[coder]) for coder in before}


class _Balancer:
    def __init__(self, coders: list[int], existing: set[Pair], rng: random.Random):
        self.load = dict.fromkeys(coders, 0)
        for _, coder in existing:
            if coder in self.load:
                self.load[coder] += 1
        self.tiebreak = {coder: rank for rank, coder in enumerate(rng.sample(coders, len(coders)))}
        self.existing = existing

    def pick(self, source: int, how_many: int) -> list[Pair]:
        """The `how_many` least-loaded coders who do not have `source` yet."""
        free = [coder for coder in self.load if (source, coder) not in self.existing]
        free.sort(key=lambda coder: (self.load[coder], self.tiebreak[coder]))
        chosen = free[:how_many]
        for coder in chosen:
            self.load[coder] += 1
        return [(source, coder) for coder in chosen]


def _coders_of(existing: set[Pair]) -> dict[int, int]:
    count: dict[int, int] = {}
    for source, _ in existing:
        count[source] = count.get(source, 0) + 1
    return count


def plan_all(sources: Iterable[int], coders: Iterable[int], existing: Iterable[Pair] = ()) -> Plan:
    """Every source to every coder."""
    have = set(existing)
    pairs = [(s, c) for s in sorted(sources) for c in sorted(coders) if (s, c) not in have]
    return Plan(pairs=pairs, overlap=[], seed=0)


def plan_k_coders(
    sources: Iterable[int],
    coders: Iterable[int],
    k: int,
    seed: int,
    existing: Iterable[Pair] = (),
) -> Plan:
    """Each source to `k` coders (counting those it already has), least-loaded first."""
    coders = sorted(coders)
    if not 1 <= k <= len(coders):
        raise ValueError(f"k must be between 1 and the number of coders ({len(coders)}), not {k}")
    have = set(existing)
    balancer = _Balancer(coders, have, random.Random(seed))
    already = _coders_of(have)
    pairs: list[Pair] = []
    for source in sorted(sources):
        pairs += balancer.pick(source, max(0, k - already.get(source, 0)))
    return Plan(pairs=pairs, overlap=[], seed=seed)


def overlap_size(total: int, *, share: float | None = None, count: int | None = None) -> int:
    """How many sources the overlap holds: `count`, or `share` of `total` rounded half up."""
    if (share is None) == (count is None):
        raise ValueError("give either a share or a number of sources for the overlap")
    if count is not None:
        if not 0 <= count <= total:
            raise ValueError(f"the overlap must be between 0 and {total} sources, not {count}")
        return count
    assert share is not None
    if not 0 <= share <= 1:
        raise ValueError(f"the share must be between 0 and 1, not {share}")
    return min(total, int(share * total + 0.5))


def plan_reliability_sample(
    sources: Iterable[int],
    coders: Iterable[int],
    seed: int,
    *,
    share: float | None = None,
    count: int | None = None,
    existing: Iterable[Pair] = (),
) -> Plan:
    """A random overlap (`share` or `count` of the sources, drawn with `seed`) to every coder;
    every other source without a coder to one coder, balanced."""
    sources, coders = sorted(sources), sorted(coders)
    if not coders:
        raise ValueError("the project has no coders")
    rng = random.Random(seed)
    overlap = sorted(rng.sample(sources, overlap_size(len(sources), share=share, count=count)))
    have = set(existing)
    balancer = _Balancer(coders, have, rng)
    already = _coders_of(have)
    in_overlap = set(overlap)
    pairs: list[Pair] = []
    for source in sources:
        if source in in_overlap:
            pairs += balancer.pick(source, len(coders))
        elif not already.get(source):
            pairs += balancer.pick(source, 1)
    return Plan(pairs=pairs, overlap=overlap, seed=seed)


def plan_for(
    strategy: str,
    sources: list[int],
    coders: list[int],
    *,
    existing: Iterable[Pair],
    seed: int,
    k: int | None = None,
    share: float | None = None,
    count: int | None = None,
) -> Plan:
    if strategy == "all":
        return plan_all(sources, coders, existing)
    if strategy == "k":
        return plan_k_coders(sources, coders, k or 0, seed, existing)
    if strategy == "reliability":
        return plan_reliability_sample(
            sources, coders, seed, share=share, count=count, existing=existing
        )
    raise ValueError(f"unknown strategy {strategy!r}")
