"""The assignment plans: sizes, balance, and the seed reproducing a plan."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.sampling import (
    overlap_size,
    plan_all,
    plan_k_coders,
    plan_reliability_sample,
)

SOURCES = list(range(100, 150))
CODERS = [7, 8, 9]


def spread(counts):
    return max(counts.values()) - min(counts.values())


def test_every_source_to_every_coder_skips_existing_pairs():
    plan = plan_all([1, 2], [7, 8], existing=[(1, 7)])
    assert plan.pairs == [(1, 8), (2, 7), (2, 8)]


def test_each_source_to_k_coders_is_balanced():
    plan = plan_k_coders(SOURCES, CODERS, 2, seed=1)
    per_source = Counter(source for source, _ in plan.pairs)
    assert set(per_source.values()) == {2}
    assert spread(Counter(coder for _, coder in plan.pairs)) <= 1


def test_k_counts_the_coders_a_source_already_has_and_their_load():
    existing = [(100, 7), (101, 7), (102, 7)]
    plan = plan_k_coders([100, 101, 102, 103], CODERS, 1, seed=3, existing=existing)
    assert plan.pairs and all(source == 103 for source, _ in plan.pairs)
    assert plan.pairs[0][1] in (8, 9)


def test_k_must_fit_the_coders():
    with pytest.raises(ValueError, match="between 1 and the number of coders"):
        plan_k_coders(SOURCES, CODERS, 4, seed=1)


@pytest.mark.parametrize(
    ("total", "share", "count", "size"),
    [
        (50, 0.2, None, 10),
        (7, 0.5, None, 4),
        (50, None, 3, 3),
        (5, 1.0, None, 5),
        (5, 0.0, None, 0),
    ],
)
def test_the_overlap_size(total, share, count, size):
    assert overlap_size(total, share=share, count=count) == size


@pytest.mark.parametrize("bad", [{"share": 1.5}, {"count": 51}, {}, {"share": 0.1, "count": 2}])
def test_an_impossible_overlap_is_refused(bad):
    with pytest.raises(ValueError):
        overlap_size(50, **bad)


def test_the_reliability_sample_has_its_size_coverage_and_balance():
    plan = plan_reliability_sample(SOURCES, CODERS, seed=42, share=0.2)
    assert len(plan.overlap) == 10 and set(plan.overlap) <= set(SOURCES)
    per_source = Counter(source for source, _ in plan.pairs)
    for source in SOURCES:
        assert per_source[source] == (3 if source in plan.overlap else 1)
    assert spread(Counter(coder for _, coder in plan.pairs)) <= 1
    assert plan.load(CODERS) == {coder: (0, plan.load(CODERS)[coder][1]) for coder in CODERS}


def test_the_same_seed_gives_the_same_plan_and_another_seed_another_overlap():
    first = plan_reliability_sample(SOURCES, CODERS, seed=2024, count=10)
    again = plan_reliability_sample(list(reversed(SOURCES)), CODERS, seed=2024, count=10)
    other = plan_reliability_sample(SOURCES, CODERS, seed=2025, count=10)
    assert first == again
    assert first.overlap != other.overlap


def test_a_second_sample_leaves_sources_that_have_a_coder_alone():
    first = plan_reliability_sample(SOURCES[:10], CODERS, seed=1, count=0)
    plan = plan_reliability_sample(SOURCES, CODERS, seed=1, count=0, existing=first.pairs)
    assert {source for source, _ in plan.pairs} == set(SOURCES[10:])
    loads = plan.load(CODERS, first.pairs)
    assert spread({coder: sum(load) for coder, load in loads.items()}) <= 1


@given(
    n_sources=st.integers(0, 60),
    n_coders=st.integers(1, 6),
    share=st.floats(0, 1),
    seed=st.integers(0, 2**32),
)
def test_any_sample_covers_every_source_and_stays_balanced(n_sources, n_coders, share, seed):
    sources, coders = list(range(n_sources)), list(range(1000, 1000 + n_coders))
    plan = plan_reliability_sample(sources, coders, seed, share=share)
    assert len(plan.pairs) == len(set(plan.pairs))
    assert {source for source, _ in plan.pairs} == set(sources)
    counts = Counter(coder for _, coder in plan.pairs)
    assert spread({coder: counts[coder] for coder in coders}) <= 1
