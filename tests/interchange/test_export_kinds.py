"""Every kind read back with its format's ordinary reader: the same annotations as stored, and
`quote == text[start:end]` in code points for each."""

import csv
import html
import io
import json

import openpyxl
from django.db import connection
from openpyxl.utils.escape import unescape

from interchange.filters import export_filters_parse
from interchange.formats import annotation_table, xlsx
from interchange.snapshot import export_snapshot
from tests.interchange.conftest import body, expected_annotations


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_exact_reads_back_every_annotation_to_the_code_point(world):
    rows = csv_rows(body(world.get("csv", exact="1")))
    texts = {source.pk: source.text for source in world.sources.values()}
    found = set()
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert row["quote"] == texts[int(row["source_id"])][start:end]
        found.add(
            (int(row["source_id"]), row["coder"], int(row["code_id"]), start, end, row["quote"])
        )
    assert found == expected_annotations(world.project)
    # Text that arrived with CRLF is stored with LF (sources.models.normalize_text).
    crlf = next(row for row in rows if row["quote"] == "one\nLine")
    assert crlf["memo"] == "\ttab first"
    assert {row["code_path"] for row in rows} >= {"Blame > Ukraine", "=Claim"}


def test_csv_guards_formula_cells_by_default(world):
    rows = csv_rows(body(world.get("csv")))
    memos = {row["memo"] for row in rows}
    guarded = {"'@mention in memo", '\'=HYPERLINK("x")', "'-minus", "'\ttab first", "'+plus"}
    assert guarded | {"'already quoted"} <= memos
    assert "'=SUM(A1)" in {row["quote"] for row in rows}
    assert "'=Claim" in {row["code"] for row in rows}
    assert all(row["source_title"] != "+crlf «title»" for row in rows)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def assert_copy_gives_the_python_paths_bytes(project, params, writer=annotation_table) -> None:
    filters = export_filters_parse(project, params)
    if connection.vendor != "postgresql":
        with export_snapshot(project=project, filters=filters) as snapshot:
            assert snapshot.copy_table is None  # elsewhere the Python path is the only one
        return
    for exact in (False, True):
        with export_snapshot(project=project, filters=filters) as snapshot:
            copied = b"".join(writer.write(snapshot, {"exact": exact}))
            python = b"".join(writer.write(snapshot, {"exact": exact, "python": True}))
            assert snapshot.annotation_count > 0
        assert copied == python


def test_csv_copy_on_postgresql_gives_the_python_paths_bytes(world):
    assert_copy_gives_the_python_paths_bytes(world.project, {})


def test_xlsx_copy_on_postgresql_gives_the_python_paths_bytes(world):
    note = world.sources["emoji"].annotations.first()
    # What XML cannot hold, what Excel would decode, edge whitespace, and a cut with astral
    # characters on both sides of the cut.
    note.memo = " \x01bell\x1f _x0041_ _x005F_x0042_ a&b <c> \r\n\t " + "😀x" * 12_000
    note.save()
    assert_copy_gives_the_python_paths_bytes(world.project, {}, writer=xlsx)


def test_xlsx_escapes_as_excel_decodes():
    text = " \x01 _x0041_ _x005F_x0042_ a&b <c> \r\n"
    escaped = xlsx.xml_text(text)
    assert "\x01" not in escaped and "\r" not in escaped and "<c>" not in escaped
    decoded = html.unescape(escaped)  # what an XML parser gives
    assert unescape(decoded) == text  # then ECMA-376's _xHHHH_, as Excel reads it
    assert xlsx.cell(text).startswith('<c t="inlineStr"><is><t xml:space="preserve">')


def test_xlsx_holds_exact_strings_and_no_formula(world):
    book = openpyxl.load_workbook(io.BytesIO(body(world.get("xlsx"))))
    assert book.sheetnames == ["README", "annotations", "sources", "codebook", "coders"]
    sheet = book["annotations"]
    header = [cell.value for cell in sheet[1]]
    texts = {source.pk: source.text for source in world.sources.values()}
    found = set()
    for cells in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in cells)
        # XML parsers drop a bare carriage return, so the writer stores it as `_x000D_`, which
        # Excel decodes; openpyxl leaves inline strings encoded.
        values = [
            unescape(cell.value) if isinstance(cell.value, str) else cell.value for cell in cells
        ]
        row = dict(zip(header, values, strict=True))
        assert row["quote"] == texts[row["source_id"]][row["start"] : row["end"]]
        found.add(
            (row["source_id"], row["coder"], row["code_id"], row["start"], row["end"], row["quote"])
        )
    assert found == expected_annotations(world.project)
    assert '=HYPERLINK("x")' in {cell.value for cell in sheet["R"]}
    for name in book.sheetnames:
        for cells in book[name].iter_rows():
            assert all(cell.data_type != "f" for cell in cells)


def test_xlsx_cuts_long_cells_visibly_and_continues_past_the_row_limit(world, monkeypatch):
    long_memo = "x" * 40_000
    note = world.sources["emoji"].annotations.first()
    note.memo = long_memo
    note.save()
    monkeypatch.setattr(xlsx, "MAX_ROWS", 5)
    book = openpyxl.load_workbook(io.BytesIO(body(world.get("xlsx"))))
    parts = [name for name in book.sheetnames if name.startswith("annotations")]
    assert parts == ["annotations", "annotations (2)", "annotations (3)"]
    rows = sum(book[name].max_row - 1 for name in parts)
    assert rows == len(expected_annotations(world.project))
    memos = [cell.value for name in parts for cell in book[name]["R"] if cell.value]
    cut = next(memo for memo in memos if memo.startswith("xxx"))
    assert len(cut) <= xlsx.MAX_CELL and "cut here" in cut


def test_xlsx_flags_a_truncated_quote():
    value, cut = xlsx.fit("😀" * 20_000)
    assert cut and len(value.encode("utf-16-le")) // 2 <= xlsx.MAX_CELL
    assert xlsx.fit("short") == ("short", False)


def test_jsonl_has_one_source_a_line_with_exact_quotes(world):
    lines = body(world.get("jsonl")).decode().splitlines()
    assert len(lines) == len(world.sources)
    found = set()
    for line in lines:
        source = json.loads(line)
        for note in source["annotations"]:
            assert note["quote"] == source["text"][note["start"] : note["end"]]
            found.add(
                (
                    source["source_id"],
                    note["coder"],
                    note["code_id"],
                    note["start"],
                    note["end"],
                    note["quote"],
                )
            )
    assert found == expected_annotations(world.project)


def test_wide_has_a_row_per_source_and_coder_with_flags_and_counts(world):
    rows = csv_rows(body(world.get("wide", exact="1")))
    assert len(rows) == len(world.sources) * 2
    crlf_ann = next(
        row
        for row in rows
        if row["coder"] == "coder_ann" and row["source_id"] == str(world.sources["crlf"].pk)
    )
    assert crlf_ann["applied: Blame"] == "1" and crlf_ann["count: Blame"] == "1"
    assert crlf_ann["applied: =Claim"] == "1" and crlf_ann["applied: Blame > Ukraine"] == "0"
    assert crlf_ann["count: Old"] == "0"
    guarded = csv_rows(body(world.get("wide")))
    assert "'applied: =Claim" not in guarded[0]  # the header starts with "applied", not "="


def test_codebook_html_is_escaped_and_complete(world):
    html = body(world.get("codebook")).decode()
    assert "Blame &gt; Ukraine" in html and "«Kyiv did it»" in html
    assert "retired" in html and "key b" in html and "#e15759" in html


def test_every_file_name_is_safe_ascii_with_the_exact_name_beside_it(world):
    header = world.get("csv")["Content-Disposition"]
    ascii_part, exact_part = header.split("; filename*=")
    assert ascii_part.isascii() and '"crocus-narratives-2024-csv-' in ascii_part
    assert exact_part.startswith("UTF-8''Crocus%20%E2%86%92%20narratives") and exact_part.isascii()
