"""Agreement figures of the latest finished runs, as rows for exports: the inter-coder figures
per code of the latest run that is not a coder-vs-gold run, and each coder against the gold
standard from the latest coder-vs-gold run (see interchange.snapshot)."""

from collections.abc import Iterator
from typing import Any

MEASURES = ("doc_alpha", "char_alpha", "unitized_alpha", "fleiss_kappa")
COLUMNS = ("run_id", "code_id", "code", "measure", "value", "ci_low", "ci_high", "note")
GOLD_MEASURES = (
    "cohen_kappa",
    "percent_agreement",
    "span_f1_exact",
    "span_f1_overlap",
    "char_alpha",
)
GOLD_COLUMNS = ("run_id", "coder", "code_id", "code", "measure", "value", "note")
POOLED = "all codes"


def agreement_rows(agreement: dict[str, Any] | None) -> Iterator[list[Any]]:
    """(run, code id, code name, measure, value, interval, note); None where undefined."""
    if not agreement:
        return
    for key, entry in agreement.get("per_code", {}).items():
        for measure in MEASURES:
            figure = entry.get(measure)
            if not isinstance(figure, dict):
                continue
            ci = figure.get("ci") or (None, None)
            yield [
                agreement["run_id"], int(key), entry.get("name", ""), measure,
                figure.get("value"), ci[0], ci[1], figure.get("note") or "",
            ]  # fmt: skip


def gold_agreement_rows(agreement: dict[str, Any] | None) -> Iterator[list[Any]]:
    """(run, coder, code id, code name, measure, value, note) for each coder against the gold
    standard; code id None and name POOLED for the figures over all the run's codes. These
    figures have no bootstrap interval."""
    if not agreement:
        return
    names = {key: entry.get("name", "") for key, entry in agreement.get("per_code", {}).items()}
    for row in agreement.get("gold", []):
        code = row["code"]
        name = POOLED if code is None else names.get(str(code), "")
        for measure in GOLD_MEASURES:
            figure = row.get(measure)
            if not isinstance(figure, dict):
                continue
            yield [
                agreement["run_id"], row["coder"], code, name, measure,
                figure.get("value"), figure.get("note") or "",
            ]  # fmt: skip
