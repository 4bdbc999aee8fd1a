"""Web pages: the article's main text and metadata through trafilatura, which leaves navigation,
banners, cookie notices and footers out; all visible text, with a warning, when it finds none.
The page is parsed, never rendered, so nothing in it runs."""

from datetime import date

import lxml.html
import trafilatura
from lxml.etree import ParserError

from interchange.formats.incoming import Batch, IncomingSource, Options, Unreadable, Upload
from interchange.formats.text import stem
from sources.models import SourceKind, unstorable

EXTENSIONS = (".html", ".htm")
INVISIBLE = ("script", "style", "noscript", "template", "head")


def detect(upload: Upload) -> bool:
    return upload.name.lower().endswith(EXTENSIONS)


def _visible_text(data: bytes, name: str) -> str:
    try:
        tree = lxml.html.document_fromstring(data)
    except (ParserError, ValueError) as exc:
        raise Unreadable(f"{name} is not a readable HTML page ({exc})") from None
    for element in tree.iter(*INVISIBLE):
        element.drop_tree()
    lines = (line.strip() for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def read(upload: Upload, options: Options) -> Batch:
    document = trafilatura.bare_extraction(
        upload.data, with_metadata=True, include_comments=False, include_tables=True
    )
    warnings = []
    text = (getattr(document, "text", None) or "").strip()
    if not text:
        text = _visible_text(upload.data, upload.name)
        warnings.append(
            f"{upload.name}: no main article text found; all visible text was imported, "
            "check it for menus and banners"
        )
    if not text:
        raise Unreadable(f"{upload.name} has no visible text")
    if problem := unstorable(text):
        raise Unreadable(f"{upload.name}: the text {problem}")
    title = getattr(document, "title", None) or stem(upload.name)
    url = getattr(document, "url", None) or ""
    source = IncomingSource(
        title=title,
        text=text,
        kind=SourceKind.NEWS_ARTICLE,
        outlet=getattr(document, "sitename", None) or "",
        author=getattr(document, "author", None) or "",
        url=url if url.startswith(("http://", "https://")) else "",
        published=_date(getattr(document, "date", None)),
        language=getattr(document, "language", None) or "",
    )
    return Batch(sources=[source], warnings=warnings)
