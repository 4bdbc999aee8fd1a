"""Decoding and titling shared by the readers."""

from interchange.formats.incoming import Unreadable
from sources import services

TITLE_MAX = 200


def decode_utf8(data: bytes, name: str) -> str:
    """The text of UTF-8 bytes, not yet normalised (span offsets count this text)."""
    try:
        return services.decode_utf8(data)
    except ValueError as exc:
        raise Unreadable(f"{name}: {exc}") from None


def title_from(text: str, fallback: str) -> str:
    """The first non-empty line when it is a plausible title, else `fallback` (a file name)."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if 0 < len(line) < TITLE_MAX else fallback


def stem(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base
