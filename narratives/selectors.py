"""Reads of the codebook."""

from narratives.models import Code
from sources.models import Project


def code_tree(project: Project, *, include_retired: bool = False) -> list[Code]:
    """The project's codes in depth-first order (each parent before its children, siblings by
    `order` then name), with `depth` set, so a template can indent them without recursion."""
    codes = Code.objects.filter(codebook__project=project)
    if not include_retired:
        codes = codes.filter(retired=False)
    by_parent: dict[int | None, list[Code]] = {}
    for code in codes.order_by("order", "name"):
        by_parent.setdefault(code.parent_id, []).append(code)
    ordered: list[Code] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for code in by_parent.get(parent_id, []):
            code.tree_depth = depth  # type: ignore[attr-defined]
            ordered.append(code)
            visit(code.pk, depth + 1)

    visit(None, 0)
    return ordered
