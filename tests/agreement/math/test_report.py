"""span_agreement as the service sees it: the brat fixture, the bootstrap, the result shape."""

import json
from pathlib import Path

import numpy as np
import pytest

from agreement.math import SourceCoding, krippendorff_alpha, span_agreement
from agreement.math.bootstrap import bootstrap_presence_alpha
from agreement.math.presence import char_stats
from agreement.math.spans import span_table
from tests.agreement.math import naive

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
BRAT = SHARED / "standards" / "span-fixtures" / "brat-conll2002-4coders"
BRAT_CODERS = ["Lisa", "Maria", "Max", "Peter"]
BRAT_CODES = ["PER", "LOC", "ORG", "MISC"]


def brat_sources() -> list[SourceCoding]:
    if not BRAT.is_dir():
        pytest.skip(f"shared fixtures not found at ../shared ({BRAT.name} is absent)")
    sources = []
    for source_id, doc in enumerate(["esp.train-doc-29", "esp.train-doc-46"]):
        text = (BRAT / "Lisa" / f"{doc}.txt").read_text(encoding="utf-8")
        spans = []
        for coder in BRAT_CODERS:
            for line in (BRAT / coder / f"{doc}.ann").read_text(encoding="utf-8").splitlines():
                if line.startswith("T"):
                    label, start, end = line.split("\t")[1].split()
                    spans.append((coder, int(start), int(end), label))
        sources.append(SourceCoding(source_id, len(text), BRAT_CODERS, spans))
    return sources


def synthetic_run(sources: int, seed: int = 1, noise: int = 2) -> list[SourceCoding]:
    """Three coders marking the same 6 passages per source, boundaries off by up to ``noise``."""
    rng = np.random.default_rng(seed)
    run = []
    for source_id in range(sources):
        length = 400
        starts = rng.integers(10, 360, size=6)
        codes = rng.choice(["hero", "villain"], size=6)
        spans = [
            (coder, int(start + rng.integers(-noise, noise + 1)), int(start + 20), str(code))
            for coder in ("ann", "bob", "cy")
            for start, code in zip(starts, codes, strict=True)
            if rng.random() > 0.1
        ]
        run.append(SourceCoding(source_id, length, ("ann", "bob", "cy"), spans))
    return run


def test_the_brat_fixture_gives_the_naive_values():
    sources = brat_sources()
    result = span_agreement(sources, BRAT_CODERS, BRAT_CODES, seed=2026, bootstrap=200)
    overall = result["overall"]
    assert overall["char_alpha"]["value"] == naive.char_alpha(sources, BRAT_CODERS, BRAT_CODES)
    assert overall["unitized_alpha"]["value"] == naive.unitized(sources, BRAT_CODERS, BRAT_CODES)
    # Every coder used every label in both documents: no variation at the document level.
    assert overall["doc_alpha"]["note"] == "undefined (no variation)"
    for code in BRAT_CODES:
        figures = result["per_code"][code]
        expected = naive.char_alpha(sources, BRAT_CODERS, BRAT_CODES, code)
        assert figures["char_alpha"]["value"] == expected
        assert 0.9 < expected < 1.0
    max_and_lisa = next(
        p for p in result["pairs"] if p["coders"] == ["Lisa", "Max"] and p["code"] == "LOC"
    )
    # Max marks long spans (one LOC for Lisa's four): exact matches suffer more than overlaps.
    assert max_and_lisa["span_f1_exact"]["value"] == naive.span_f1_exact(
        sources, BRAT_CODES, "Lisa", "Max", "LOC"
    )
    assert max_and_lisa["span_f1_exact"]["value"] < max_and_lisa["span_f1_overlap"]["value"]
    json.dumps(result)  # plain data, ready for a JSONField


def test_the_result_has_the_documented_shape():
    result = span_agreement(synthetic_run(5), ["ann", "bob", "cy"], ["hero", "villain"], seed=3)
    assert set(result) == {
        "coders", "codes", "sources", "excluded_sources", "overall", "per_code", "pairs",
        "bootstrap", "definitions",
    }  # fmt: skip
    assert set(result["overall"]) == {"doc_alpha", "char_alpha", "unitized_alpha"}
    assert set(result["per_code"]["hero"]) == {
        "doc_alpha", "char_alpha", "unitized_alpha", "fleiss_kappa",
    }  # fmt: skip
    char = result["overall"]["char_alpha"]
    assert set(char) == {"value", "ci", "p_below", "note"}
    assert set(char["p_below"]) == {"0.667", "0.8"}
    assert result["bootstrap"] == {"replicates": 1000, "seed": 3, "cluster": "source"}
    assert {p["code"] for p in result["pairs"]} == {None, "hero", "villain"}


def test_the_same_seed_gives_the_same_intervals_and_another_seed_other_ones():
    run = synthetic_run(30, noise=6)

    def interval(seed: int) -> list[float]:
        result = span_agreement(run, ["ann", "bob", "cy"], ["hero", "villain"], seed=seed)
        return result["overall"]["char_alpha"]["ci"]

    assert interval(11) == interval(11)
    assert interval(11) != interval(12)


def test_the_interval_contains_the_point_estimate_for_reasonable_data():
    result = span_agreement(
        synthetic_run(60, noise=5), ["ann", "bob", "cy"], ["hero", "villain"], seed=5
    )
    for figures in [result["overall"], *result["per_code"].values()]:
        for name in ("doc_alpha", "char_alpha"):
            low, high = figures[name]["ci"]
            assert low <= figures[name]["value"] <= high


def test_perfect_agreement_is_one_with_a_degenerate_interval():
    passages = [(10, 30, "hero"), (50, 55, "villain"), (50, 90, "hero")]
    run = [
        SourceCoding(
            s, 100 + s, ("ann", "bob"), [(c, *p) for c in ("ann", "bob") for p in passages[s % 3 :]]
        )
        for s in range(20)
    ]
    result = span_agreement(run, ["ann", "bob"], ["hero", "villain"], seed=5)
    for name in ("doc_alpha", "char_alpha", "unitized_alpha"):
        assert result["overall"][name]["value"] == 1.0
    assert result["overall"]["char_alpha"]["ci"] == [1.0, 1.0]
    assert result["overall"]["char_alpha"]["p_below"] == {"0.667": 0.0, "0.8": 0.0}
    pair = result["pairs"][0]
    figures = ("cohen_kappa", "percent_agreement", "span_f1_exact", "span_f1_overlap")
    assert [pair[name]["value"] for name in figures] == [1.0] * 4


def test_a_bootstrap_replicate_is_the_alpha_of_the_resampled_sources():
    run = synthetic_run(8, noise=6)
    table = span_table(run, ["ann", "bob", "cy"], ["hero", "villain"])
    x, zeros, ones = char_stats(table).columns()
    replicates = bootstrap_presence_alpha(x, zeros, ones, replicates=5, seed=9)
    # The same draws as the bootstrap (one chunk of 5): replicate r takes sources draws[r].
    draws = np.random.default_rng(9).integers(0, len(run), size=(5, len(run)))
    for r in range(5):
        resampled = [run[s]._replace(id=i) for i, s in enumerate(draws[r])]
        matrix = naive.char_matrix(resampled, ["ann", "bob", "cy"], ["hero", "villain"])
        assert replicates[r, -1] == pytest.approx(krippendorff_alpha(matrix), abs=1e-12)


def test_progress_rises_to_one():
    seen: list[float] = []
    span_agreement(synthetic_run(5), ["ann", "bob", "cy"], ["hero"], seed=1, progress=seen.append)
    assert seen == sorted(seen)
    assert 0 < seen[0] < seen[-1] == 1.0
