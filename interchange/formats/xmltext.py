"""Escaping for XML written as text (the REFI-QDA writer streams its XML, no tree in memory)."""

import re

# Code points XML 1.0 cannot hold at all: replaced, since no reference can express them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# In attributes a parser turns raw tabs and line breaks into spaces: references keep them.
_ATTRIBUTE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def xml_text(value: str) -> str:
    return _ILLEGAL.sub("\ufffd", value).translate(_TEXT)


def xml_attribute(value: str) -> str:
    return '"' + _ILLEGAL.sub("\ufffd", value).translate(_ATTRIBUTE) + '"'


def has_illegal(value: str) -> bool:
    return _ILLEGAL.search(value) is not None
