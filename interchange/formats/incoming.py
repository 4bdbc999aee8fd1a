"""What readers produce: plain data parsed from one uploaded file, nothing written yet.

Offsets in `IncomingSpan` count code points of `IncomingSource.text` exactly as the reader
returns it (before normalisation); the import service moves them with the text.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class IncomingSpan:
    coder: str
    code_path: tuple[str, ...]
    start: int
    end: int
    memo: str = ""


@dataclass
class IncomingSource:
    title: str
    text: str
    kind: str = "other"
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: date | None = None
    language: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    spans: list[IncomingSpan] = field(default_factory=list)
    # Coders who coded this source, spans or not: a coder who found nothing to code still counts.
    coders: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IncomingCode:
    path: tuple[str, ...]
    colour: str = ""
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    retired: bool = False


@dataclass
class Batch:
    """A list of sources, or from a large file a stream that the import service reads once as
    it writes; a streaming reader may raise Unreadable or add warnings until the stream ends."""

    sources: Iterable[IncomingSource] = field(default_factory=list)
    codes: list[IncomingCode] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    # A person's name where the file tells it apart from the username it gives (REFI-QDA's
    # `User` has both), for the accounts the import creates.
    full_names: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # How far through its file a stream is (0 to 1): progress before the count is known.
    share_read: Callable[[], float] | None = None


@dataclass(frozen=True)
class Options:
    """Choices the person importing made: a table's column mapping, the coder of doccano spans."""

    mapping: dict[str, str] | None = None
    coder: str = ""


class Unreadable(ValueError):
    """The file cannot be imported; the message says why in words a researcher can act on."""
