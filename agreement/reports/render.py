"""A finished run as a CSV file, as a self-contained HTML report, and as the page's fragment."""

import io
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from agreement.models import AgreementRun
from agreement.reports.figures import alpha_chart, kappa_heatmap
from agreement.reports.tables import (
    CODE_MEASURES,
    GOLD_MEASURES,
    PAIR_MEASURES,
    Figure,
    code_rows,
    figure,
    gold_rows,
    pair_rows,
)
from core import csv_safe

SPEC = "docs/agreement.md (Narrative Coder's agreement definitions)"
REFERENCES = [
    "Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School, "
    "U. Pennsylvania.",
    "Krippendorff, K. (1995). On the reliability of unitizing continuous data. Sociological "
    "Methodology, 25, 47-76.",
    "Krippendorff, K., Mathet, Y., Bouvry, S., Widlöcher, A. (2016). On the reliability of "
    "unitizing textual continua: Further developments. Quality & Quantity, 50, 2347-2364.",
    "Hayes, A. F., Krippendorff, K. (2007). Answering the call for a standard reliability "
    "measure for coding data. Communication Methods and Measures, 1, 77-89.",
    "Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and "
    "Psychological Measurement, 20, 37-46.",
    "Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. "
    "Psychological Bulletin, 76, 378-382.",
    "Meyer, C. M., Mieskes, M., Stab, C., Gurevych, I. (2014). DKPro Agreement: An open-source "
    "Java library for measuring inter-rater agreement. COLING 2014 demos.",
]
CSV_HEADER = [
    "scope",
    "code_id",
    "code",
    "coder_a",
    "coder_b",
    "measure",
    "value",
    "ci_low",
    "ci_high",
    "p_below_0.667",
    "p_below_0.8",
    "note",
    "definition",
]


def results_context(run: AgreementRun, *, link_base: str = "") -> dict[str, Any]:
    """What the results fragment shows; `link_base` prefixes links to the app's pages."""
    results = run.results or {}
    rows = code_rows(results)
    pairs = pair_rows(results)
    names = {int(key): entry["name"] for key, entry in results["per_code"].items()}
    disputed = [
        {**row, "code_names": [names.get(code, str(code)) for code in row["codes"]]}
        for row in results.get("most_disagreement", [])
    ]
    return {
        "run": run,
        "results": results,
        "code_rows": rows,
        "pair_rows": pairs,
        "gold_rows": gold_rows(results),
        "chart": alpha_chart(rows),
        "heatmap": kappa_heatmap(results["coders"], pairs),
        "disputed": disputed,
        "link_base": link_base,
    }


def _csv_row(scope: str, code: tuple[Any, str], coders: tuple[str, str], name: str, found: Figure):
    low, high = found.ci or ("", "")
    p_below = found.p_below or {}
    return [
        scope,
        "" if code[0] is None else code[0],
        code[1],
        coders[0],
        coders[1],
        name,
        "" if found.value is None else found.value,
        low,
        high,
        p_below.get("0.667", ""),
        p_below.get("0.8", ""),
        found.note or "",
        "",
    ]


def agreement_report_csv(run: AgreementRun) -> str:
    """Long format: one line per figure (value, interval, p_below, note), its definition once
    per measure, and the run's parameters first."""
    results = run.results or {}
    definitions = results.get("definitions", {})
    out = io.StringIO()
    writer = csv_safe.writer(out)
    writer.writerow(CSV_HEADER)
    for key, value in _parameters(run).items():
        writer.writerow(["run", "", "", "", "", key, value, "", "", "", "", "", ""])
    for key, text in definitions.items():
        writer.writerow(["definition", "", "", "", "", key, "", "", "", "", "", "", text])
    for row in code_rows(results):
        scope = "overall" if row.id is None else "code"
        for name in CODE_MEASURES:
            if name in row.figures:
                found = row.figures[name]
                writer.writerow(_csv_row(scope, (row.id, row.name), ("", ""), name, found))
    for pair in pair_rows(results):
        for name in PAIR_MEASURES:
            code = (pair.code, pair.code_name)
            writer.writerow(_csv_row("pair", code, pair.coders, name, pair.figures[name]))
    for gold in gold_rows(results):
        for name in GOLD_MEASURES:
            code = (gold.code, gold.code_name)
            writer.writerow(_csv_row("gold", code, gold.coders, name, gold.figures[name]))
    for row in results.get("most_disagreement", []):
        for name in ("doc_disagreement", "char_disagreement"):
            found = figure({"value": row[name]})
            line = _csv_row("source", (row["source"], row["title"]), ("", ""), name, found)
            writer.writerow(line)
    return out.getvalue()


def _parameters(run: AgreementRun) -> dict[str, Any]:
    params, results = run.params, run.results or {}
    return {
        "run": run.pk,
        "project": run.project.name,
        "finished_at": run.finished_at.isoformat() if run.finished_at else "",
        "level": params["level"],
        "sources": len(results.get("sources", params["sources"])),
        "excluded_from_unitized_alpha": " ".join(map(str, results.get("excluded_sources", []))),
        "coders": " ".join(results.get("coders", [])),
        "codes": len(params["codes"]),
        "annotations": results.get("annotations", ""),
        "bootstrap_replicates": params["bootstrap"],
        "bootstrap_seed": params["seed"],
        "defaults_used_for": " ".join(params.get("defaulted", [])),
        "definitions": SPEC,
    }


def agreement_report_html(run: AgreementRun, *, request: HttpRequest | None = None) -> str:
    """One HTML file with inline styles and figures, readable offline and citable."""
    link_base = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    context = {
        **results_context(run, link_base=link_base),
        "parameters": _parameters(run),
        "references": REFERENCES,
        "spec": SPEC,
        "snapshot": run.codebook_snapshot,
        "css": _stylesheet(),
        # The file is the download: buttons fetching it again from the server have no place.
        "offline": True,
    }
    return render_to_string("agreement/agreement_report.html", context)


def _stylesheet() -> str:
    """The page's own stylesheet, inlined so the report needs nothing from the server."""
    found = finders.find("css/agreement.css")
    if not found:
        return ""
    with open(str(found), encoding="utf-8") as sheet:
        return mark_safe(sheet.read())  # our own static file, not user input
