"""One formula guard for every CSV the project writes: a text cell a spreadsheet would run as a
formula is written as text; numbers stay numbers."""

import csv
import io

import pytest

from core.csv_safe import safe_cell, writer

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", '=HYPERLINK("x")']


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_starts_like_a_formula_is_prefixed_with_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "", "a=b", "1.5", "'quoted"])
def test_other_text_is_left_alone(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [-0.25, 3, None, 0.0])
def test_numbers_and_empty_cells_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_the_writer_guards_every_text_cell_of_every_row():
    out = io.StringIO()
    csv_out = writer(out)
    csv_out.writerow(["=1", -0.5, "@x"])
    csv_out.writerows([["+2", "ok"], ["-3"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'=1", "-0.5", "'@x"], ["'+2", "ok"], ["'-3"]]
