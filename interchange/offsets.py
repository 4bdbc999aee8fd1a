"""Carry span offsets through text normalisation (BOM dropped, CRLF and CR to LF, NFC).

A span counted in code points of the text as another tool stored it must point at the same
characters of the normalised text. The text is cut into pieces that normalise on their own (a
newline sequence, or a base character with its combining marks); a span boundary on a piece's
edge maps exactly, one inside a piece (between a letter and its accent) widens to the piece.
"""

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from sources.models import normalize_text


class OffsetsLost(ValueError):
    """The text normalises across piece boundaries, so offsets cannot be carried exactly."""


def _pieces(text: str) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        if text[i] == "\r" and text[j : j + 1] == "\n":
            j += 1
        elif text[i] != "\r":
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
        pieces.append((i, j))
        i = j
    return pieces


def offset_mapper(text: str) -> tuple[str, Callable[[int, int], tuple[int, int]]]:
    """The normalised text, and a function from `(start, end)` in `text` to the same span in it."""
    normal = normalize_text(text)
    if normal == text:
        return normal, lambda start, end: (start, end)
    old_starts, old_ends, new_starts, new_ends = [], [], [], []
    position = 0
    parts = []
    for index, (start, end) in enumerate(_pieces(text)):
        piece = text[start:end]
        if index == 0 and piece == "\ufeff":
            piece = ""
        piece = unicodedata.normalize("NFC", piece.replace("\r\n", "\n").replace("\r", "\n"))
        old_starts.append(start)
        old_ends.append(end)
        new_starts.append(position)
        position += len(piece)
        new_ends.append(position)
        parts.append(piece)
    if "".join(parts) != normal:
        raise OffsetsLost("the text's characters compose across marks (e.g. Hangul jamo)")

    def mapped(start: int, end: int) -> tuple[int, int]:
        first = bisect_right(old_starts, start) - 1
        last = bisect_left(old_ends, end)
        return new_starts[first], new_ends[last]

    return normal, mapped
