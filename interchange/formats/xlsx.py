"""`xlsx`: the `csv` table as an Excel workbook, plus sources, codebook, coders and a README.

The workbook is written here as SpreadsheetML (ECMA-376 part 1), streamed into a zip: the
annotation sheet is nearly all of the file, and on PostgreSQL its rows are rendered by the
database under COPY, like the `csv` kind's, at several times the rate a general-purpose writer
reaches cell by cell. The Python path below gives the same bytes on any database.

Every text cell is an inline string, never a formula, so the workbook is safe and exact at
once (no formula guard). Characters XML cannot carry (C0 controls, U+FFFE, U+FFFF) are written
as ECMA-376's `_xHHHH_`, and an underscore that would start such a sequence as `_x005F_`, which
is how Excel reads them; line breaks are character references, so no XML parser drops a
carriage return. Excel's limits are kept: a cell holds at most 32,767 UTF-16 units (a longer one
is cut with a visible marker and flagged), and a sheet at most 1,048,576 rows (the annotations
continue on further sheets).
"""

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from interchange.formats.annotation_table import COLUMNS, annotation_rows
from interchange.formats.outgoing import Snapshot, SqlCells, gathered, iso, iso_date
from interchange.formats.zipstream import ZipStream

EXTENSION = "xlsx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32_767
MAX_ROWS = 1_048_576
CUT = "… [cut here: the full text has {} characters]"
PROGRESS_EVERY = 10_000

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EMPTY = "<c/>"
CLOSING = "</t></is></c>"
HEADER_STYLE = 1

# Characters XML 1.0 cannot hold even as references; NUL never reaches PostgreSQL's text.
UNWRITABLE = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]
ESCAPE_START = "_(?=x[0-9A-Fa-f]{4}_)"
NEEDS_ESCAPE = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]|_x[0-9A-Fa-f]{4}_"
ANY_SPECIAL = "[&<>\\n\\r\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]|_x[0-9A-Fa-f]{4}_"
XML_SPECIAL = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\n", "&#10;"), ("\r", "&#13;"))
WHITESPACE = " \t\n\r"

_escape_start = re.compile(ESCAPE_START)
_unwritable = re.compile("[" + "".join(re.escape(chr(code)) for code in UNWRITABLE) + "]")
_xml_special = str.maketrans(dict(XML_SPECIAL))


def _astral(value: str) -> int:
    """How many characters of `value` take two UTF-16 units (Excel counts units)."""
    return len(value.encode("utf-16-le")) // 2 - len(value)


def fit(value: str) -> tuple[str, bool]:
    """`value` cut to Excel's cell limit with a marker saying so, and whether it was cut. The
    cut keeps the first `room - a` characters, `a` being the astral characters among the first
    `room`: always within the limit, and one rule the SQL below can state."""
    if len(value) <= MAX_CELL // 2 or len(value) + _astral(value) <= MAX_CELL:
        return value, False
    marker = CUT.format(len(value))
    room = MAX_CELL - len(marker)
    return value[: room - _astral(value[:room])] + marker, True


def xml_text(value: str) -> str:
    value = _escape_start.sub("_x005F_", value)
    value = _unwritable.sub(lambda match: f"_x{ord(match[0]):04X}_", value)
    return value.translate(_xml_special)


def _opening(*, preserve: bool, style: str = "") -> str:
    space = ' xml:space="preserve"' if preserve else ""
    return f'<c t="inlineStr"{style}><is><t{space}>'


def _string_cell(value: str, style: str = "") -> str:
    preserve = value[0] in WHITESPACE or value[-1] in WHITESPACE
    return f"{_opening(preserve=preserve, style=style)}{xml_text(value)}{CLOSING}"


def cell(value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _string_cell("yes" if value else "no")
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    return _string_cell(fit(str(value))[0])


def header_row(names: Sequence[str]) -> str:
    cells = "".join(_string_cell(name, f' s="{HEADER_STYLE}"') for name in names)
    return f'<row r="1">{cells}</row>'


# The same cells in SQL, for the annotation sheet's COPY (interchange.snapshot).


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _replace_all(expression: str, pairs: Iterable[tuple[str, str]]) -> str:
    for old, new in pairs:
        expression = f"replace({expression}, {old}, {new})"
    return expression


def _astral_sql(expression: str) -> str:
    stripped = f"regexp_replace({expression}, '[\\U00010000-\\U0010FFFF]', '', 'g')"
    return f"(length({expression}) - length({stripped}))"


def _fit_sql(expression: str) -> str:
    before, after = CUT.split("{}")
    marker = f"({_literal(before)} || length({expression}) || {_literal(after)})"
    room = f"({MAX_CELL} - length({marker}))"
    return (
        f"CASE WHEN length({expression}) <= {MAX_CELL // 2} "
        f"OR length({expression}) + {_astral_sql(expression)} <= {MAX_CELL} "
        f"THEN {expression} "
        f"ELSE left({expression}, {room} - {_astral_sql(f'left({expression}, {room})')}) "
        f"|| {marker} END"
    )


def _escaped_sql(expression: str) -> str:
    """xml_text in SQL; most cells need none of it, and one regular expression says so."""
    special = [(_literal(old), _literal(new)) for old, new in XML_SPECIAL]
    ooxml = f"regexp_replace({expression}, {_literal(ESCAPE_START)}, '_x005F_', 'g')"
    ooxml = _replace_all(
        ooxml, ((f"chr({code})", _literal(f"_x{code:04X}_")) for code in UNWRITABLE if code)
    )
    return (
        f"CASE WHEN {expression} !~ {_literal(ANY_SPECIAL)} THEN {expression} "
        f"WHEN {expression} ~ {_literal(NEEDS_ESCAPE)} THEN {_replace_all(ooxml, special)} "
        f"ELSE {_replace_all(expression, special)} END"
    )


def _string_cell_sql(expression: str) -> str:
    ends = ", ".join(str(ord(character)) for character in WHITESPACE)
    opening = (
        f"CASE WHEN ascii({expression}) IN ({ends}) OR ascii(right({expression}, 1)) IN ({ends})"
        f" THEN {_literal(_opening(preserve=True))} ELSE {_literal(_opening(preserve=False))} END"
    )
    return f"{opening} || {_escaped_sql(expression)} || {_literal(CLOSING)}"


def _text_sql(expression: str) -> str:
    # A text of at most MAX_CELL // 2 bytes has at most as many characters: fit leaves it be.
    return (
        f"CASE WHEN {expression} IS NULL OR {expression} = '' THEN '{EMPTY}' "
        f"WHEN octet_length({expression}) <= {MAX_CELL // 2} "
        f"THEN {_string_cell_sql(expression)} "
        f"ELSE {_string_cell_sql(f'({_fit_sql(expression)})')} END"
    )


def _plain_sql(expression: str) -> str:
    return (
        f"COALESCE({_literal(_opening(preserve=False))} || {expression} || '{CLOSING}', '{EMPTY}')"
    )


def _truncated_sql(expression: str) -> list[str]:
    cut = (
        f"octet_length({expression}) > {MAX_CELL // 2} AND ({_fit_sql(expression)}) <> {expression}"
    )
    return [f"CASE WHEN {cut} THEN {_literal(cell('yes'))} ELSE {_literal(cell('no'))} END"]


SQL_CELLS = SqlCells(
    text=_text_sql,
    plain=_plain_sql,
    number=lambda expression: f"COALESCE('<c><v>' || {expression} || '</v></c>', '{EMPTY}')",
    missing=f"'{EMPTY}'",
    # One concat() makes a row's string once; a chain of || copies it at every step.
    join=lambda cells: [f"concat({', '.join(cells)})"],
    extra=_truncated_sql,
    # One value a row, holding no control character, quote or line break: COPY writes it as
    # it is, a line each.
    copy="FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'",
)


# The workbook.


class Parts:
    """The zip entries of a workbook whose sheets are written one after another."""

    def __init__(self, snapshot: Snapshot):
        self.zip = ZipStream(snapshot.taken_at)
        self.sheets: list[str] = []

    def sheet(self, name: str, header: Sequence[str], rows: Iterable[bytes]) -> Iterator[bytes]:
        self.sheets.append(name)
        path = f"xl/worksheets/sheet{len(self.sheets)}.xml"
        opening = (
            f'{XML_HEAD}<worksheet xmlns="{MAIN}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            f"</sheetView></sheetViews><sheetData>{header_row(header)}"
        )
        body = itertools.chain([opening.encode()], rows, [b"</sheetData></worksheet>"])
        yield from self.zip.entry(path, gathered(body))

    def close(self, snapshot: Snapshot) -> Iterator[bytes]:
        for name, text in self._package(snapshot):
            yield from self.zip.entry(name, [(XML_HEAD + text).encode()])
        yield from self.zip.close()

    def _package(self, snapshot: Snapshot) -> list[tuple[str, str]]:
        count = len(self.sheets)
        kinds = "application/vnd.openxmlformats-officedocument"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" '
            f'ContentType="{kinds}.spreadsheetml.worksheet+xml"/>'
            for number in range(1, count + 1)
        )
        types = (
            f'<Types xmlns="{PACKAGE}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{kinds}.spreadsheetml.sheet.main+xml"/>{overrides}'
            '<Override PartName="/xl/styles.xml" '
            f'ContentType="{kinds}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            f'ContentType="{kinds}.extended-properties+xml"/></Types>'
        )
        package_relations = (
            f'<Relationships xmlns="{PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONS}/officeDocument" '
            'Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{PACKAGE}/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{RELATIONS}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>'
        )
        book_relations = (
            f'<Relationships xmlns="{PACKAGE}/relationships">'
            + "".join(
                f'<Relationship Id="rId{number}" Type="{RELATIONS}/worksheet" '
                f'Target="worksheets/sheet{number}.xml"/>'
                for number in range(1, count + 1)
            )
            + f'<Relationship Id="rId{count + 1}" Type="{RELATIONS}/styles" '
            'Target="styles.xml"/></Relationships>'
        )
        book = (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}">'
            "<bookViews><workbookView/></bookViews><sheets>"
            + "".join(
                f'<sheet name="{xml_text(name)}" sheetId="{number}" r:id="rId{number}"/>'
                for number, name in enumerate(self.sheets, start=1)
            )
            + "</sheets></workbook>"
        )
        taken = snapshot.taken_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        core = (
            f'<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_text(snapshot.project_name)}</dc:title>"
            f"<dc:creator>{xml_text(snapshot.software)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{taken}</dcterms:created>'
            "</cp:coreProperties>"
        )
        app = (
            f'<Properties xmlns="{kinds}/extended-properties">'
            f"<Application>{xml_text(snapshot.software)}</Application></Properties>"
        )
        return [
            ("[Content_Types].xml", types),
            ("_rels/.rels", package_relations),
            ("docProps/core.xml", core),
            ("docProps/app.xml", app),
            ("xl/workbook.xml", book),
            ("xl/_rels/workbook.xml.rels", book_relations),
            ("xl/styles.xml", STYLES),
        ]


STYLES = (
    f'<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="2">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _rows(cells: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    for number, row in enumerate(cells, start=2):
        yield f'<row r="{number}">{"".join(cell(value) for value in row)}</row>'.encode()


def _annotation_cells(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    """The annotation sheet's rows without numbers, a row's cells joined, from COPY on
    PostgreSQL or from the Python loop elsewhere (the same bytes)."""
    if snapshot.copy_table is not None and not options.get("python"):
        for index, line in enumerate(snapshot.copy_table(SQL_CELLS), start=1):
            if index % PROGRESS_EVERY == 0:
                snapshot.progress(index)
            yield line[:-1]
        snapshot.progress(snapshot.annotation_count)
        return
    quote = COLUMNS.index("quote")
    for row in annotation_rows(snapshot, guard=False):
        truncated = row[quote] is not None and fit(row[quote])[1]
        yield "".join(cell(value) for value in [*row, "yes" if truncated else "no"]).encode()


def _annotation_sheets(
    parts: Parts, snapshot: Snapshot, options: dict[str, Any]
) -> Iterator[bytes]:
    header = (*COLUMNS, "quote_truncated")
    per_sheet = MAX_ROWS - 1
    sheets = max(1, -(-snapshot.annotation_count // per_sheet))
    rows = _annotation_cells(snapshot, options)
    for part in range(1, sheets + 1):
        numbered = (
            b'<row r="%d">%b</row>' % (number, cells)
            for number, cells in enumerate(itertools.islice(rows, per_sheet), start=2)
        )
        name = "annotations" if part == 1 else f"annotations ({part})"
        yield from parts.sheet(name, header, numbered)


def _readme(snapshot: Snapshot) -> list[tuple[str, Any]]:
    filters = "; ".join(f"{name}={','.join(values)}" for name, values in snapshot.filters.items())
    return [
        ("project", snapshot.project_name),
        ("snapshot taken (UTC)", iso(snapshot.taken_at)),
        ("filters", filters or "none: the whole project"),
        ("annotations", snapshot.annotation_count),
        ("software", snapshot.software),
        ("offsets", "start and end count Unicode code points of the source text, end exclusive"),
        ("cells", "every text cell is a string, exactly as stored; none is a formula"),
        ("long cells", f"cut at Excel's {MAX_CELL:,} characters, marked; see quote_truncated"),
        ("many rows", "beyond 1,048,575 annotations the table continues on 'annotations (2)'"),
    ]


def _sources(snapshot: Snapshot) -> Iterator[list[Any]]:
    for source in snapshot.sources():
        yield [
            source.id, source.title, source.kind, source.outlet, source.author, source.url,
            iso_date(source.published), source.language, source.sha256, iso(source.created),
            source.text, fit(source.text)[1],
        ]  # fmt: skip


def _codebook(snapshot: Snapshot) -> Iterator[list[Any]]:
    for code in snapshot.codes:
        yield [
            code.id, code.parent_id, code.name, code.path, code.definition, code.inclusion,
            code.exclusion, code.example, code.colour, code.shortcut, code.retired,
        ]  # fmt: skip


SOURCE_COLUMNS = (
    "source_id", "title", "kind", "outlet", "author", "url", "published", "language", "sha256",
    "created", "text", "text_truncated",
)  # fmt: skip
CODE_COLUMNS = (
    "code_id", "parent_id", "code", "code_path", "definition", "inclusion", "exclusion",
    "example", "colour", "shortcut", "retired",
)  # fmt: skip


def write(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    parts = Parts(snapshot)
    yield from parts.sheet("README", ("field", "value"), _rows(_readme(snapshot)))
    yield from _annotation_sheets(parts, snapshot, options)
    yield from parts.sheet("sources", SOURCE_COLUMNS, _rows(_sources(snapshot)))
    yield from parts.sheet("codebook", CODE_COLUMNS, _rows(_codebook(snapshot)))
    coders = ([coder.username, coder.full_name, coder.role] for coder in snapshot.coders)
    yield from parts.sheet("coders", ("username", "name", "role"), _rows(coders))
    yield from parts.close(snapshot)
