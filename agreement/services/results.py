"""A run's stored results: the pure package's figures named for people.

Shape: `coders` are usernames (`coder_ids` beside them), `per_code` is keyed by the
code id as a string and carries the code's `name`, `pairs` name their coders by username and
their code by id (null = all codes pooled). Added here: `level`, `annotations` (how many were
read), `gold` (each coder against the gold standard per code, empty unless the run asked
for it; see agreement.math.gold), `most_disagreement` (see agreement.math.disagreement, with
source titles) and `timings` in seconds.
"""

from typing import Any

from django.contrib.auth import get_user_model

from sources.models import Source

DISAGREEMENT_DEFINITIONS = {
    "doc_disagreement": "Krippendorff's observed disagreement D_o over one source's doc_alpha "
    "units, all codes pooled (two coders: the share of codes one applied and the other not)",
    "char_disagreement": "Krippendorff's observed disagreement D_o over one source's char_alpha "
    "units, all codes pooled (two coders: the share of code points x codes they differ on)",
}


def results_wrap(
    figures: dict[str, Any],
    *,
    disputed: list[dict[str, Any]],
    params: dict[str, Any],
    snapshot: list[dict[str, Any]],
    annotations: int,
    timings: dict[str, float],
) -> dict[str, Any]:
    coder_ids = list(figures["coders"])
    usernames = dict(
        get_user_model().objects.filter(pk__in=coder_ids).values_list("pk", "username")
    )
    names = {code["id"]: code["name"] for code in snapshot}
    titles = dict(
        Source.objects.filter(pk__in=[row["source"] for row in disputed]).values_list("pk", "title")
    )
    return {
        **figures,
        "coders": [usernames.get(pk, f"user {pk}") for pk in coder_ids],
        "coder_ids": coder_ids,
        "per_code": {
            key: {"name": names.get(int(key), f"code {key}"), **measures}
            for key, measures in figures["per_code"].items()
        },
        "pairs": [
            {**pair, "coders": [usernames.get(pk, f"user {pk}") for pk in pair["coders"]]}
            for pair in figures["pairs"]
        ],
        "gold": [
            {**row, "coder": usernames.get(row["coder"], f"user {row['coder']}")}
            for row in figures.get("gold", [])
        ],
        "level": params["level"],
        "annotations": annotations,
        "most_disagreement": [{**row, "title": titles.get(row["source"], "")} for row in disputed],
        "definitions": {**figures["definitions"], **DISAGREEMENT_DEFINITIONS},
        "timings": {name: round(seconds, 3) for name, seconds in timings.items()},
    }
