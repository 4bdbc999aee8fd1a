"""Coder against gold, checked against values computed by hand.

One source of 10 characters, codes A and B. Gold: A at [2, 6). Coder 1: A at [0, 4), B at
[7, 9). Coder 2: A at [2, 6), exactly gold. Coder 3 has not completed the source.

Coder 1, code A: 10 characters, 4 in coder 1's span, 4 in gold's, 2 in both, so 6 agree
(p_o = 0.6); chance p_e = (4*4 + 6*6) / 100 = 0.52; kappa = 0.08 / 0.48 = 1/6. No span is
exactly gold's (F1 exact 0); each overlaps the other's (F1 overlap 1). Alpha on the 20 values:
n1 = 8, n0 = 12, four units disagree, alpha = 1 - 19 * 4 / (12 * 8) = 5/24.
Code B: gold has nothing, coder 1 two characters: p_o = 0.8 = p_e, kappa 0; F1 exact 0 (one
span against none); overlap 0; alpha = 1 - 19 * 2 / (18 * 2) = -1/18.
Pooled: 20 units, 6 and 4 covered, 2 in both: p_o = 0.7, p_e = (6*4 + 14*16) / 400 = 0.62,
kappa = 0.08 / 0.38 = 4/19; F1 exact 0; overlap: matched 1 of 2 and 1 of 1, harmonic mean 2/3;
alpha over 40 values: n1 = 10, n0 = 30, six disagreeing units, 1 - 39 * 6 / 300 = 0.22.
"""

import pytest

from agreement.math.gold import coder_vs_gold
from agreement.math.spans import SourceCoding

GOLD = "gold"
SOURCE = SourceCoding(
    id=1,
    length=10,
    coders={1, 2, GOLD},
    spans=[(GOLD, 2, 6, "A"), (1, 0, 4, "A"), (1, 7, 9, "B"), (2, 2, 6, "A")],
)


@pytest.fixture
def rows():
    found = coder_vs_gold([SOURCE], [1, 2, 3], ["A", "B"], gold=GOLD)
    return {(row["coder"], row["code"]): row for row in found}


def value(row, name):
    return row[name]["value"]


def test_a_coder_who_differs_from_gold(rows):
    a, b, pooled = rows[1, "A"], rows[1, "B"], rows[1, None]
    assert value(a, "percent_agreement") == pytest.approx(0.6)
    assert value(a, "cohen_kappa") == pytest.approx(1 / 6)
    assert (value(a, "span_f1_exact"), value(a, "span_f1_overlap")) == (0.0, 1.0)
    assert value(a, "char_alpha") == pytest.approx(5 / 24)
    assert value(b, "cohen_kappa") == pytest.approx(0.0)
    assert (value(b, "span_f1_exact"), value(b, "span_f1_overlap")) == (0.0, 0.0)
    assert value(b, "char_alpha") == pytest.approx(-1 / 18)
    assert value(pooled, "percent_agreement") == pytest.approx(0.7)
    assert value(pooled, "cohen_kappa") == pytest.approx(4 / 19)
    assert value(pooled, "span_f1_overlap") == pytest.approx(2 / 3)
    assert value(pooled, "char_alpha") == pytest.approx(0.22)


def test_a_coder_equal_to_gold_scores_one_and_an_unused_code_is_undefined(rows):
    a = rows[2, "A"]
    for name in ("cohen_kappa", "percent_agreement", "span_f1_exact", "char_alpha"):
        assert value(a, name) == pytest.approx(1.0), name
    b = rows[2, "B"]
    assert b["span_f1_exact"] == {"value": None, "note": "undefined (no spans)"}
    assert b["char_alpha"]["value"] is None and "no variation" in b["char_alpha"]["note"]


def test_a_coder_without_the_source_has_nothing_to_compare(rows):
    assert rows[3, None]["cohen_kappa"] == {
        "value": None,
        "note": "undefined (no source coded by both)",
    }
    assert rows[3, None]["char_alpha"]["value"] is None


def test_gold_must_not_be_a_coder():
    with pytest.raises(ValueError, match="also a coder"):
        coder_vs_gold([SOURCE], [1, GOLD], ["A"], gold=GOLD)
