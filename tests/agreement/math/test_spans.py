"""The span measures against the naive per-character definitions on small random runs."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agreement.math import SourceCoding, fleiss_kappa, span_agreement
from tests.agreement.math import naive

CODERS = ["ann", "bob", "cy"]
CODES = ["hero", "villain"]


@st.composite
def runs(draw):
    coders = CODERS[: draw(st.integers(1, 3))]
    codes = CODES[: draw(st.integers(1, 2))]
    ids = draw(st.lists(st.integers(0, 50), min_size=1, max_size=4, unique=True))
    sources = []
    for source_id in ids:  # unsorted on purpose: the report orders by id
        length = draw(st.integers(0, 12))
        spans = []
        for _ in range(draw(st.integers(0, 7)) if length else 0):
            start = draw(st.integers(0, length - 1))
            end = draw(st.integers(start + 1, length))
            spans.append((draw(st.sampled_from(CODERS)), start, end, draw(st.sampled_from(CODES))))
        coded = draw(st.sets(st.sampled_from(CODERS)))
        sources.append(SourceCoding(source_id, length, coded, spans))
    return sources, coders, codes


def value(measure: dict) -> float:
    return math.nan if measure["value"] is None else measure["value"]


def same(ours: float, reference: float, exact: bool = True) -> bool:
    if math.isnan(ours) or math.isnan(reference):
        return math.isnan(ours) and math.isnan(reference)
    return ours == reference if exact else math.isclose(ours, reference, abs_tol=1e-12)


def report(sources, coders, codes):
    return span_agreement(sources, coders, codes, seed=0, bootstrap=0)


@settings(max_examples=200, deadline=None)
@given(runs())
def test_char_alpha_from_boundaries_equals_the_per_character_computation(run):
    sources, coders, codes = run
    result = report(*run)
    assert same(value(result["overall"]["char_alpha"]), naive.char_alpha(sources, coders, codes))
    for code in codes:
        ours = value(result["per_code"][code]["char_alpha"])
        assert same(ours, naive.char_alpha(sources, coders, codes, code))


@settings(max_examples=150, deadline=None)
@given(runs())
def test_doc_alpha_equals_the_per_document_computation(run):
    sources, coders, codes = run
    result = report(*run)
    assert same(value(result["overall"]["doc_alpha"]), naive.doc_alpha(sources, coders, codes))
    for code in codes:
        ours = value(result["per_code"][code]["doc_alpha"])
        assert same(ours, naive.doc_alpha(sources, coders, codes, code))


@settings(max_examples=150, deadline=None)
@given(runs())
def test_unitized_alpha_equals_unitized_alpha_of_the_concatenated_sources(run):
    sources, coders, codes = run
    result = report(*run)
    assert same(value(result["overall"]["unitized_alpha"]), naive.unitized(sources, coders, codes))
    for code in codes:
        ours = value(result["per_code"][code]["unitized_alpha"])
        assert same(ours, naive.unitized(sources, coders, codes, code))
    complete = [s.id for s in sources if all(c in s.coders for c in coders)]
    assert result["excluded_sources"] == sorted(s.id for s in sources if s.id not in complete)


@settings(max_examples=150, deadline=None)
@given(runs())
def test_fleiss_kappa_uses_the_document_units_every_coder_coded(run):
    sources, coders, codes = run
    complete = [s for s in sources if all(c in s.coders for c in coders)]
    result = report(*run)
    for code in codes:
        ones = naive.doc_matrix(complete, coders, codes, code).sum(axis=0)
        counts = np.column_stack([len(coders) - ones, ones]).astype(int).tolist()
        assert same(value(result["per_code"][code]["fleiss_kappa"]), fleiss_kappa(counts))


@settings(max_examples=150, deadline=None)
@given(runs())
def test_pair_measures_equal_their_naive_definitions(run):
    sources, coders, codes = run
    result = report(*run)
    assert len(result["pairs"]) == len(coders) * (len(coders) - 1) // 2 * (len(codes) + 1)
    for pair in result["pairs"]:
        a, b = pair["coders"]
        code = pair["code"]
        kappa = naive.pair_char_kappa(sources, coders, codes, a, b, code)
        agreement = naive.pair_char_agreement(sources, coders, codes, a, b, code)
        assert same(value(pair["cohen_kappa"]), kappa)
        assert same(value(pair["percent_agreement"]), agreement, exact=False)
        assert same(value(pair["span_f1_exact"]), naive.span_f1_exact(sources, codes, a, b, code))
        overlap = naive.span_f1_overlap(sources, codes, a, b, code)
        assert same(value(pair["span_f1_overlap"]), overlap, exact=False)


def test_a_coder_who_has_not_coded_a_source_is_missing_there_not_zero():
    agreed = SourceCoding(1, 10, {"ann", "bob", "cy"}, [(c, 2, 5, "hero") for c in CODERS])
    unseen = SourceCoding(2, 10, {"ann", "bob"}, [("ann", 0, 4, "hero"), ("bob", 0, 4, "hero")])
    result = report([agreed, unseen], CODERS, ["hero"])
    assert result["overall"]["char_alpha"]["value"] == 1.0
    assert result["excluded_sources"] == [2]


def test_spans_of_a_coder_with_an_incomplete_assignment_are_ignored():
    spans = [("ann", 0, 4, "hero"), ("bob", 0, 4, "hero"), ("cy", 6, 9, "hero")]
    with_draft = report([SourceCoding(1, 10, {"ann", "bob"}, spans)], CODERS, ["hero"])
    without = report([SourceCoding(1, 10, {"ann", "bob"}, spans[:2])], CODERS, ["hero"])
    assert with_draft["overall"] == without["overall"]


def test_undefined_figures_carry_a_reason():
    alone = report([SourceCoding(1, 10, {"ann"}, [("ann", 0, 3, "hero")])], CODERS, ["hero"])
    assert alone["overall"]["char_alpha"] == {
        "value": None,
        "ci": None,
        "p_below": None,
        "note": "undefined (no pairable values)",
    }
    assert (
        alone["overall"]["unitized_alpha"]["note"] == "undefined (no source coded by every coder)"
    )
    silent = report([SourceCoding(1, 10, set(CODERS), [])], CODERS, ["hero"])
    assert silent["overall"]["doc_alpha"]["note"] == "undefined (no variation)"
    assert silent["pairs"][0]["span_f1_exact"]["note"] == "undefined (no spans)"


@pytest.mark.parametrize(
    ("sources", "coders"),
    [
        ([SourceCoding(1, 10, {"ann"}, [("ann", 4, 11, "hero")])], CODERS),
        ([SourceCoding(1, 10, {"ann"}, [("ann", 4, 4, "hero")])], CODERS),
        ([SourceCoding(1, 10, {"ann"}, []), SourceCoding(1, 5, {"ann"}, [])], CODERS),
        ([SourceCoding(1, 10, {"ann"}, [])], ["ann", "ann"]),
        ([SourceCoding(1, -1, {"ann"}, [])], CODERS),
    ],
    ids=["past the end", "empty span", "duplicate source", "duplicate coder", "negative length"],
)
def test_malformed_runs_raise_value_error(sources, coders):
    with pytest.raises(ValueError):
        report(sources, coders, ["hero"])
