"""Agreement figures the slow, obvious way: one value per character, coincidences by hand."""

from collections import defaultdict

from annotations.models import Annotation, Assignment, AssignmentStatus
from sources.models import Source


def nominal_alpha(matrix):
    """Krippendorff's alpha (nominal) of a coders x units matrix with None for missing."""
    coincidences = defaultdict(float)
    for unit in zip(*matrix, strict=True):
        values = [value for value in unit if value is not None]
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidences[a, b] += 1 / (len(values) - 1)
    totals = defaultdict(float)
    for (a, _), count in coincidences.items():
        totals[a] += count
    n = sum(totals.values())
    observed = sum(count for (a, b), count in coincidences.items() if a != b)
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b)
    return 1 - (n - 1) * observed / expected


def presence_matrices(source_ids, coder_ids, code_id):
    """(doc units, char units) coders x units matrices of one code, as AGREEMENT.md defines."""
    doc = [[] for _ in coder_ids]
    char = [[] for _ in coder_ids]
    for source in Source.objects.filter(pk__in=source_ids).order_by("pk"):
        done = set(
            Assignment.objects.filter(source=source, status=AssignmentStatus.DONE).values_list(
                "coder_id", flat=True
            )
        )
        for row, coder in enumerate(coder_ids):
            spans = Annotation.objects.filter(source=source, coder_id=coder, code_id=code_id)
            covered = [0] * len(source.text)
            for start, end in spans.values_list("start", "end"):
                covered[start:end] = [1] * (end - start)
            if coder in done:
                doc[row].append(1 if spans.exists() else 0)
                char[row].extend(covered)
            else:
                doc[row].append(None)
                char[row].extend([None] * len(source.text))
    return doc, char
