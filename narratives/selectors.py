"""Reads of the codebook and its versions."""

from typing import Any

from django.db.models import Max

from narratives.models import Code, Codebook, CodebookVersion, CodeOperationKind
from sources.models import Project

SNAPSHOT_FIELDS = (
    "id",
    "parent_id",
    "name",
    "definition",
    "inclusion",
    "exclusion",
    "example",
    "colour",
    "shortcut",
    "order",
    "retired",
)
DEFINITION_FIELDS = ("definition", "inclusion", "exclusion", "example")


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


def depth_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Code rows (dicts with `id` and `parent_id`), siblings already in codebook order, with
    each parent before its children, as the codebook tree reads."""
    children: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)
    ordered: list[dict[str, Any]] = []
    waiting = list(reversed(children.get(None, [])))
    while waiting:
        row = waiting.pop()
        ordered.append(row)
        waiting.extend(reversed(children.get(row["id"], [])))
    return ordered


def codebook_snapshot(codebook: Codebook) -> list[dict[str, Any]]:
    """Every code of the codebook as it stands, retired ones included, each with its `path`."""
    rows = [
        dict(row)
        for row in Code.objects.filter(codebook=codebook)
        .order_by("order", "name", "pk")
        .values(*SNAPSHOT_FIELDS)
    ]
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        names: list[str] = []
        node: dict[str, Any] | None = row
        while node is not None:
            names.append(node["name"])
            node = by_id.get(node["parent_id"])
        row["path"] = " / ".join(reversed(names))
    return rows


def codebook_version_number(codebook_id: int) -> int | None:
    """The number of the latest published version: the one a passage made now is coded under
    (None before the first)."""
    versions = CodebookVersion.objects.filter(codebook_id=codebook_id)
    return versions.aggregate(number=Max("number"))["number"]


def codebook_versions(project: Project) -> list[CodebookVersion]:
    return list(
        CodebookVersion.objects.filter(codebook__project=project)
        .select_related("created_by")
        .order_by("-number")
    )


def codebook_diff(
    old: list[dict[str, Any]], new: list[dict[str, Any]], operations: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """What changed from the codebook snapshot `old` to `new`: codes added, renamed, redefined
    (which of the definition fields), moved (other parent or place among siblings), retired and
    brought back, read from the snapshots; merged and split, which a snapshot cannot show,
    from `operations` (CodeOperation rows as dicts with kind, code, into and details)."""
    before = {row["id"]: row for row in old}
    after = {row["id"]: row for row in new}
    diff: dict[str, list[dict[str, Any]]] = {
        key: [] for key in ("added", "renamed", "redefined", "moved", "merged", "split", "retired")
    }
    diff["restored"] = []
    merged = {op["code"] for op in operations if op["kind"] == CodeOperationKind.MERGE}
    for code_id, row in after.items():
        was = before.get(code_id)
        if was is None:
            diff["added"].append({"code": code_id, "path": row["path"]})
            continue
        if was["name"] != row["name"]:
            diff["renamed"].append({"code": code_id, "from": was["name"], "to": row["name"]})
        fields = [name for name in DEFINITION_FIELDS if was[name] != row[name]]
        if fields:
            diff["redefined"].append({"code": code_id, "path": row["path"], "fields": fields})
        if was["parent_id"] != row["parent_id"] or was["order"] != row["order"]:
            diff["moved"].append(
                {
                    "code": code_id,
                    "from": was["path"],
                    "to": row["path"],
                    "order": [was["order"], row["order"]],
                }
            )
        if row["retired"] and not was["retired"] and code_id not in merged:
            diff["retired"].append({"code": code_id, "path": row["path"]})
        if was["retired"] and not row["retired"]:
            diff["restored"].append({"code": code_id, "path": row["path"]})
    paths = {
        **{k: v["path"] for k, v in before.items()},
        **{k: v["path"] for k, v in after.items()},
    }
    listed = {CodeOperationKind.MERGE: "merged", CodeOperationKind.SPLIT: "split"}
    for op in operations:
        if op["kind"] in listed:
            diff[listed[op["kind"]]].append(
                {
                    "code": op["code"],
                    "path": paths.get(op["code"], ""),
                    "into": op["into"],
                    "into_path": paths.get(op["into"], ""),
                    "passages": op["details"].get("passages", 0),
                }
            )
    for entries in diff.values():
        entries.sort(key=lambda entry: entry.get("path") or entry.get("to") or "")
    return diff


def codebook_versions_diff(
    codebook: Codebook, old: CodebookVersion | None, new: CodebookVersion | None
) -> dict[str, list[dict[str, Any]]]:
    """`codebook_diff` between two versions of `codebook` (`old` None: the empty codebook before
    version 1; `new` None: the codebook as it stands, unpublished changes included)."""
    operations = codebook.operations.filter(
        kind__in=(CodeOperationKind.MERGE, CodeOperationKind.SPLIT)
    )
    if old is not None:
        operations = operations.exclude(version__number__lte=old.number)
    if new is not None:
        operations = operations.filter(version__number__lte=new.number)
    rows = [
        {"kind": op.kind, "code": op.code_id, "into": op.into_id, "details": op.details}
        for op in operations
    ]
    return codebook_diff(
        [] if old is None else old.snapshot,
        codebook_snapshot(codebook) if new is None else new.snapshot,
        rows,
    )
