"""The latest finished agreement run's per-code figures, as rows for exports."""

from collections.abc import Iterator
from typing import Any

MEASURES = ("doc_alpha", "char_alpha", "unitized_alpha", "fleiss_kappa")
COLUMNS = ("run_id", "code_id", "code", "measure", "value", "ci_low", "ci_high", "note")


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
