"""A run's results as rows a person reads: formatted figures banded against Krippendorff's
minimums (0.667 for tentative, 0.8 for firm conclusions)."""

from dataclasses import dataclass
from typing import Any

TENTATIVE, FIRM = 0.667, 0.8
ALPHAS = ("doc_alpha", "char_alpha", "unitized_alpha")
CODE_MEASURES = (*ALPHAS, "fleiss_kappa")
PAIR_MEASURES = ("cohen_kappa", "percent_agreement", "span_f1_exact", "span_f1_overlap")
GOLD_MEASURES = (*PAIR_MEASURES, "char_alpha")
CHANCE_CORRECTED = {*CODE_MEASURES, "cohen_kappa"}


@dataclass(frozen=True)
class Figure:
    value: float | None
    ci: tuple[float, float] | None
    p_below: dict[str, float] | None
    note: str | None
    banded: bool = True

    @property
    def band(self) -> str:
        """Where the value falls against the minimums; "plain" for figures that are not
        chance-corrected (percent agreement, F1), which those minimums do not apply to."""
        if self.value is None:
            return "undefined"
        if not self.banded:
            return "plain"
        if self.value < TENTATIVE:
            return "low"
        return "tentative" if self.value < FIRM else "firm"

    @property
    def text(self) -> str:
        return "undefined" if self.value is None else f"{self.value:.3f}"

    @property
    def ci_text(self) -> str:
        return "" if self.ci is None else f"[{self.ci[0]:.3f}, {self.ci[1]:.3f}]"

    @property
    def p_text(self) -> str:
        if not self.p_below:
            return ""
        return " · ".join(f"P(<{key}) {share:.2f}" for key, share in self.p_below.items())


def figure(measure: dict[str, Any] | None, *, banded: bool = True) -> Figure:
    measure = measure or {}
    ci = measure.get("ci")
    return Figure(
        value=measure.get("value"),
        ci=(ci[0], ci[1]) if ci else None,
        p_below=measure.get("p_below"),
        note=measure.get("note"),
        banded=banded,
    )


@dataclass(frozen=True)
class CodeRow:
    id: int | None
    name: str
    figures: dict[str, Figure]

    @property
    def cells(self) -> list[Figure | None]:
        """Per measure of CODE_MEASURES; None where the row has no such figure."""
        return [self.figures.get(name) for name in CODE_MEASURES]


def code_rows(results: dict[str, Any]) -> list[CodeRow]:
    """One row per code in the run's order, then the pooled "all codes" row."""
    rows = [
        CodeRow(
            id=int(key),
            name=entry["name"],
            figures={name: figure(entry.get(name)) for name in CODE_MEASURES},
        )
        for key, entry in results["per_code"].items()
    ]
    overall = results["overall"]
    rows.append(CodeRow(None, "All codes", {name: figure(overall.get(name)) for name in ALPHAS}))
    return rows


@dataclass(frozen=True)
class PairRow:
    coders: tuple[str, str]
    code: int | None
    code_name: str
    figures: dict[str, Figure]

    @property
    def cells(self) -> list[Figure]:
        # The figures were gathered in the order of their measures' columns.
        return list(self.figures.values())


def pair_rows(results: dict[str, Any]) -> list[PairRow]:
    names = {int(key): entry["name"] for key, entry in results["per_code"].items()}
    return [
        PairRow(
            coders=(pair["coders"][0], pair["coders"][1]),
            code=pair["code"],
            code_name="All codes" if pair["code"] is None else names.get(pair["code"], ""),
            figures={
                name: figure(pair.get(name), banded=name in CHANCE_CORRECTED)
                for name in PAIR_MEASURES
            },
        )
        for pair in results["pairs"]
    ]


def gold_rows(results: dict[str, Any]) -> list[PairRow]:
    """Each coder against the gold standard, as pair rows (the second "coder" is gold) with
    character alpha after the pair measures."""
    names = {int(key): entry["name"] for key, entry in results["per_code"].items()}
    return [
        PairRow(
            coders=(row["coder"], "gold"),
            code=row["code"],
            code_name="All codes" if row["code"] is None else names.get(row["code"], ""),
            figures={
                name: figure(row.get(name), banded=name in CHANCE_CORRECTED)
                for name in GOLD_MEASURES
            },
        )
        for row in results.get("gold", [])
    ]


def round_rows(rounds: list[tuple[str, dict[str, Any]]]) -> list[CodeRow]:
    """doc and char alpha per code across rounds: for every code (in the order first seen),
    one row per round that has it, from `(round name, run results)` in round order."""
    by_code: dict[str, list[CodeRow]] = {}
    for name, results in rounds:
        for key, entry in results["per_code"].items():
            by_code.setdefault(key, []).append(
                CodeRow(
                    id=int(key),
                    name=f"{name} · {entry['name']}",
                    figures={alpha: figure(entry.get(alpha)) for alpha in ALPHAS[:2]},
                )
            )
    return [row for rows in by_code.values() for row in rows]
