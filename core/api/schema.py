"""Schema post-processing: every operation documents the errors any endpoint can answer.

Views list their specific errors (409, …) with `core.api.errors.documented`; this hook adds
the ones that follow from the framework itself, so an endpoint can never answer an
undocumented 401, 403, 404, 400 or 413:

- 401 and 403 when the operation requires authentication;
- 404 when the path has parameters, or the operation is a paginated list (a page past the end);
- 400 when it takes a request body or query parameters; 413 when it takes a body.
"""

from typing import Any

from core.api.errors import DESCRIPTIONS

ERROR_REF = {"$ref": "#/components/schemas/Error"}


def _error(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def _statuses(operation: dict[str, Any], path: str) -> set[int]:
    statuses = set()
    security = operation.get("security")
    if security and {} not in security:
        statuses |= {401, 403}
    parameters = operation.get("parameters", [])
    if "{" in path or any(p["name"] == "page" for p in parameters):
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413}
    elif any(p["in"] == "query" and p["name"] not in {"page", "page_size"} for p in parameters):
        statuses.add(400)
    return statuses


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in sorted(_statuses(operation, path)):
                responses.setdefault(str(status), _error(status))
    return result
