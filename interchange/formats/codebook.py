"""`codebook`: the codebook as one self-contained, printable HTML page for a paper's appendix,
with each code's agreement from the latest finished run that is not a coder-vs-gold run, if
any (see interchange.snapshot)."""

from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string

from interchange.formats.agreement_rows import agreement_rows
from interchange.formats.outgoing import Snapshot, iso

EXTENSION, MEDIA_TYPE = "html", "text/html"
SHOWN = ("doc_alpha", "char_alpha", "unitized_alpha")


def write(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    figures: dict[int, list[dict[str, Any]]] = {}
    for _, code_id, _, measure, value, low, high, note in agreement_rows(snapshot.agreement):
        if measure in SHOWN:
            figures.setdefault(code_id, []).append(
                {"measure": measure, "value": value, "low": low, "high": high, "note": note}
            )
    codes = [
        {"code": code, "depth": len(code.names) - 1, "figures": figures.get(code.id, [])}
        for code in snapshot.codes
    ]
    run = snapshot.agreement
    html = render_to_string(
        "interchange/codebook_export.html",
        {
            "snapshot": snapshot,
            "taken": iso(snapshot.taken_at),
            "codes": codes,
            "run": run,
            "finished": iso(run["finished"]) if run else "",
        },
    )
    yield html.encode()
