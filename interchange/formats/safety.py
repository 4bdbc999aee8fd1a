"""Hostile-input guards: every archive and every XML document an importer reads goes through here.

An uploaded archive may name entries `../../etc/passwd` or expand a few kilobytes into gigabytes;
an XML file may declare entities that expand exponentially or fetch external files. Entries are
checked from the central directory before anything is decompressed, and `zipfile` never yields
more than an entry's declared size, so the limits hold whatever the headers claim.
"""

import io
import zipfile
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from django.conf import settings

from interchange.formats.incoming import Unreadable


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def open_zip(data: bytes, name: str = "archive") -> dict[str, bytes]:
    """The files of a zip archive by entry name, after refusing unsafe paths and zip bombs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [entry for entry in archive.infolist() if not entry.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable(f"{name} is not a readable zip archive ({exc})") from None
    total = 0
    for entry in entries:
        if _unsafe_name(entry.filename):
            raise Unreadable(
                f"{name} has an entry with an absolute or parent path ({entry.filename!r}); refused"
            )
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > settings.IMPORT_ZIP_MAX_RATIO and entry.file_size > 1024 * 1024:
            raise Unreadable(
                f"{name}: {entry.filename!r} expands {ratio:.0f} times (limit "
                f"{settings.IMPORT_ZIP_MAX_RATIO}, setting IMPORT_ZIP_MAX_RATIO); refused as a "
                "possible zip bomb"
            )
    if total > settings.IMPORT_ZIP_MAX_BYTES:
        raise Unreadable(
            f"{name} expands to {total} bytes; the limit is {settings.IMPORT_ZIP_MAX_BYTES} "
            "(setting IMPORT_ZIP_MAX_BYTES)"
        )
    try:
        return {entry.filename: archive.read(entry) for entry in entries}
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        raise Unreadable(f"{name} is damaged ({exc})") from None


def parse_xml(data: bytes, name: str) -> Element:
    """Parse XML refusing entity declarations and external references (billion laughs, XXE)."""
    try:
        root: Any = defusedxml.ElementTree.fromstring(data)
    except DefusedXmlException as exc:
        raise Unreadable(
            f"{name} declares XML entities or external references ({type(exc).__name__}); "
            "refused for safety"
        ) from None
    except defusedxml.ElementTree.ParseError as exc:
        raise Unreadable(f"{name} is not well-formed XML ({exc})") from None
    return root
