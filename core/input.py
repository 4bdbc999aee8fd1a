"""Checks on what arrives in a request, before anything is stored or rendered.

JSON may carry what no response can render or no database can store: a lone surrogate (`"\\ud800"`
decodes to a str that cannot be encoded as UTF-8, so rendering it fails after the write
committed), NUL (PostgreSQL refuses it in text and JSON), nesting deep enough to exhaust the
stack. Ids in query strings and headers are ASCII digits within a bigint.
"""

import math
import re
from typing import Any

MAX_DEPTH = 32
ID_MAX = 2**63 - 1  # the largest id a bigint column, and SQLite's INTEGER, holds

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_ASCII_ID = re.compile(r"[0-9]{1,19}")


class TooDeep(ValueError):
    pass


def printable(text: str) -> str:
    """`text` with the characters a response cannot carry written as `\\uXXXX` escapes."""
    return _UNSTORABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _text_problem(text: str) -> str | None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "contains a NUL character (U+0000), which cannot be stored; remove it"
    return (
        f"contains U+{ord(char):04X}, half of a surrogate pair, which is not a character; "
        "send valid Unicode (UTF-8) text"
    )


def json_problem(value: Any, depth: int = 0) -> str | None:
    """Why `value` (parsed JSON) cannot be stored and sent back, naming where; None if it can.
    Raises TooDeep past MAX_DEPTH levels of nesting."""
    if depth > MAX_DEPTH:
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels is not accepted.")
    if isinstance(value, str):
        return _text_problem(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "is NaN or infinite, which JSON cannot carry"
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _text_problem(key)
            if problem is not None:
                return f"key {printable(key)!r} {problem}"
            problem = json_problem(item, depth + 1)
            if problem is not None:
                return f"{printable(key)}: {problem}"
    if isinstance(value, list):
        for index, item in enumerate(value):
            problem = json_problem(item, depth + 1)
            if problem is not None:
                return f"item {index}: {problem}"
    return None


def json_field_problems(data: Any) -> dict[str, str]:
    """`json_problem` per top-level field of a request body (its printable name as the key);
    the whole body under "" when it is not an object."""
    if not isinstance(data, dict):
        problem = json_problem(data)
        return {"": problem} if problem else {}
    problems = {}
    for key, item in data.items():
        problem = _text_problem(key) or json_problem(item, 1)
        if problem is not None:
            problems[printable(key)] = problem
    return problems


def positive_id(text: str) -> int | None:
    """`text` as an id (ASCII digits, 1 to ID_MAX), or None: `int()` would also take "١٢" or
    "²" (or fail on the latter) and values no database column holds."""
    if not _ASCII_ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None
