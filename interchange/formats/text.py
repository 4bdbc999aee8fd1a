"""Decoding and titling shared by the readers."""

import codecs
from datetime import date
from typing import Any

from interchange.formats.incoming import Unreadable
from sources import services
from sources.models import SourceKind

TITLE_MAX = 200
CHECK_CHUNK = 1 << 20


def decode_utf8(data: bytes, name: str) -> str:
    """The text of UTF-8 bytes, not yet normalised (span offsets count this text)."""
    try:
        return services.decode_utf8(data)
    except ValueError as exc:
        raise Unreadable(f"{name}: {exc}") from None


def check_utf8(data: bytes, name: str) -> None:
    """Refuse bytes that are not UTF-8, naming the first bad byte, for a reader that parses the
    bytes itself: checked a slice at a time, the decoded text (up to four times the size of the
    bytes) is never held whole."""
    position = 0
    while position < len(data):
        end = position + CHECK_CHUNK
        try:
            _, used = codecs.utf_8_decode(data[position:end], "strict", end >= len(data))
        except UnicodeDecodeError as exc:
            bad = position + exc.start
            raise Unreadable(
                f"{name}: not valid UTF-8 (byte 0x{data[bad]:02x} at offset {bad}); "
                "re-save the file as UTF-8"
            ) from None
        position += used


def title_from(text: str, fallback: str) -> str:
    """The first non-empty line when it is a plausible title, else `fallback` (a file name)."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if 0 < len(line) < TITLE_MAX else fallback


def stem(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def published_date(value: Any) -> date | None:
    """The date an ISO date or moment starts with, else None."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def source_kind(value: Any) -> str:
    """A source kind named loosely ("News article", "news-article"), else `other`."""
    wanted = str(value or "").strip().lower().replace("-", "_").replace(" ", "_")
    return wanted if wanted in SourceKind.values else SourceKind.OTHER
