"""Geometry of the two figures, drawn as inline SVG by the templates (no script, no library).

The chart shows doc_alpha and char_alpha per code with their 95% bootstrap intervals as
whiskers and Krippendorff's two minimums as reference lines; the heatmap shows Cohen's kappa
(all codes pooled) for every coder pair.
"""

import math
from dataclasses import dataclass
from typing import Any

from agreement.reports.tables import FIRM, TENTATIVE, CodeRow, Figure, PairRow

LABEL_WIDTH, PLOT_WIDTH, MARGIN = 220, 420, 24
ROW_HEIGHT = 34
ALPHA = "\N{GREEK SMALL LETTER ALPHA}"
SERIES = (("doc_alpha", f"doc {ALPHA}", -7), ("char_alpha", f"char {ALPHA}", 7))


@dataclass(frozen=True)
class Scale:
    low: float
    high: float = 1.0

    def x(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return round(LABEL_WIDTH + share * PLOT_WIDTH, 1)


def _scale(rows: list[CodeRow]) -> Scale:
    lows = [0.0]
    for row in rows:
        for name, _, _ in SERIES:
            found = row.figures.get(name)
            if found is not None and found.value is not None:
                lows.append(found.ci[0] if found.ci else found.value)
    return Scale(low=max(-1.0, math.floor(min(lows) * 5) / 5))


def _mark(found: Figure, scale: Scale, y: float, name: str, label: str) -> dict[str, Any] | None:
    if found.value is None:
        return None
    low, high = found.ci or (found.value, found.value)
    return {
        "name": name,
        "label": label,
        "cx": scale.x(found.value),
        "x1": scale.x(low),
        "x2": scale.x(high),
        "y": y,
        "cap_top": y - 4,
        "cap_bottom": y + 4,
        "title": f"{label} {found.text} {found.ci_text}".strip(),
    }


def alpha_chart(rows: list[CodeRow]) -> dict[str, Any]:
    scale = _scale(rows)
    height = MARGIN * 2 + ROW_HEIGHT * len(rows)
    steps = round((scale.high - scale.low) / 0.2)
    ticks = [round(scale.low + 0.2 * i, 1) for i in range(steps + 1)]
    drawn = []
    for index, row in enumerate(rows):
        middle = MARGIN + ROW_HEIGHT * index + ROW_HEIGHT / 2
        marks = [
            _mark(row.figures[name], scale, middle + offset, name, label)
            for name, label, offset in SERIES
            if name in row.figures
        ]
        drawn.append({"label": row.name, "y": middle, "marks": [m for m in marks if m]})
    return {
        "width": LABEL_WIDTH + PLOT_WIDTH + MARGIN,
        "height": height,
        "label_edge": LABEL_WIDTH - 8,
        "plot_top": MARGIN,
        "plot_bottom": height - MARGIN,
        "axis_y": height - MARGIN + 16,
        "ticks": [{"x": scale.x(t), "label": f"{t:g}"} for t in ticks],
        "references": [
            {"x": scale.x(TENTATIVE), "label": "0.667"},
            {"x": scale.x(FIRM), "label": "0.8"},
        ],
        "rows": drawn,
        "legend": [{"name": name, "label": label} for name, label, _ in SERIES],
    }


CELL, HEAT_LABEL = 64, 80


def _fill(found: Figure | None) -> str:
    """Red below 0.667 through amber to green at 1; grey when undefined."""
    if found is None or found.value is None:
        return "#e3e6ea"
    share = min(max((found.value - 0.4) / 0.6, 0.0), 1.0)
    return f"hsl({round(120 * share)}, 65%, {round(82 - 22 * share)}%)"


def kappa_heatmap(coders: list[str], pairs: list[PairRow]) -> dict[str, Any]:
    pooled = {row.coders: row.figures["cohen_kappa"] for row in pairs if row.code is None}
    cells = []
    for i, a in enumerate(coders):
        for j, b in enumerate(coders):
            found = pooled.get((a, b)) or pooled.get((b, a))
            cells.append(
                {
                    "x": HEAT_LABEL + j * CELL,
                    "y": HEAT_LABEL + i * CELL,
                    "text_x": HEAT_LABEL + j * CELL + CELL / 2,
                    "text_y": HEAT_LABEL + i * CELL + CELL / 2 + 4,
                    "fill": "#ffffff" if i == j else _fill(found),
                    "text": "" if i == j else (found.text if found else "n/a"),
                    "title": f"{a} \N{MULTIPLICATION SIGN} {b}",
                }
            )
    size = HEAT_LABEL + CELL * len(coders) + 8
    return {
        "width": size,
        "height": size,
        "cell": CELL,
        "cells": cells,
        "columns": [
            {"x": HEAT_LABEL + j * CELL + CELL / 2, "label": name} for j, name in enumerate(coders)
        ],
        "rows": [
            {"y": HEAT_LABEL + i * CELL + CELL / 2, "label": name} for i, name in enumerate(coders)
        ],
        "label_edge": HEAT_LABEL - 8,
    }
