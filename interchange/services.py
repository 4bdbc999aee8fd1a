"""Import side: write a parsed Batch into a project, all or nothing.

Every way in (the Sources page, `POST /api/projects/<id>/imports/`, `manage.py import_sources`)
ends here, so each gets the same normalisation, deduplication and report.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, models, transaction
from django.utils import timezone

from annotations.models import Annotation, Assignment, AssignmentStatus
from core.db import unprepared
from interchange.formats import reader_for
from interchange.formats.incoming import (
    Batch,
    IncomingCode,
    IncomingSource,
    IncomingSpan,
    Options,
    Unreadable,
    Upload,
)
from interchange.offsets import OffsetsLost, offset_mapper
from narratives.models import Code, colour_validator
from narratives.services import code_number_next, codebook_for
from sources.models import (
    Membership,
    Project,
    Role,
    Source,
    SourceKind,
    text_sha256,
    unstorable,
)

CHUNK = 2000
Progress = Callable[[int, int], None]


@dataclass
class FileReport:
    name: str
    status: str = "imported"
    error: str = ""
    sources_created: int = 0
    duplicates_skipped: int = 0
    annotations_created: int = 0
    codes_created: int = 0
    users_created: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_upload(
    *,
    project: Project,
    upload: Upload,
    kind: str | None = None,
    options: Options | None = None,
    user: User | None = None,
    progress: Progress | None = None,
) -> FileReport:
    """Read one uploaded file and write it into `project` whole, or write nothing and report why.

    `user` is recorded as the author of the created rows in their history. The report counts
    sources created, duplicates skipped (same NFC text already in the project
    or earlier in the file), annotations, codes and the usernames of accounts created.
    """
    try:
        reader = reader_for(upload, kind)
        batch = reader.read(upload, options or Options())
        return batch_write(
            project=project, batch=batch, name=upload.name, user=user, progress=progress
        )
    except Unreadable as exc:
        return FileReport(name=upload.name, status="failed", error=str(exc))
    except ValidationError as exc:
        return FileReport(name=upload.name, status="failed", error=_message(exc))


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(m)}" for name, m in error.message_dict.items())
    return " ".join(error.messages)


@dataclass
class _Prepared:
    source: Source
    spans: list[IncomingSpan]
    coders: set[str]


@transaction.atomic
def batch_write(
    *,
    project: Project,
    batch: Batch,
    name: str,
    user: User | None = None,
    progress: Progress | None = None,
) -> FileReport:
    """Write `batch` into `project` in one transaction; Unreadable or ValidationError leave
    nothing behind. Spans' offsets are carried through the text normalisation."""
    report = FileReport(name=name)
    with unprepared():
        annotated = _write_sources(project, batch, name, user, report, progress)
        report.warnings[:0] = batch.warnings  # a stream's warnings are complete once it is read
        coder_names = set(batch.users)
        for item in annotated:
            coder_names |= item.coders | {span.coder for span in item.spans}
        users = _users(project, sorted(coder_names), batch.full_names, report)
        span_paths = {span.code_path for item in annotated for span in item.spans}
        codes = _codes(project, batch.codes, span_paths, report)
        report.annotations_created = _annotations(annotated, users, codes, user)
    return report


def _create_with_history(model: type[models.Model], rows: list[Any], user: User | None) -> None:
    """Insert `rows` and their creation history rows. The history rows are what simple-history's
    `bulk_create_with_history` writes, but copied by the database from the stored rows in one
    statement, which halves the cost of an import."""
    for done in range(0, len(rows), CHUNK):
        chunk = model._default_manager.bulk_create(rows[done : done + CHUNK])
        history: Any = model.history.model  # type: ignore[attr-defined]
        quote = connection.ops.quote_name
        tracked = ", ".join(quote(field.column) for field in history.tracked_fields)
        added = ", ".join(
            quote(history._meta.get_field(name).column)
            for name in ("history_date", "history_user", "history_change_reason", "history_type")
        )
        pk: Any = model._meta.pk
        marks = ", ".join(["%s"] * len(chunk))
        date = history._meta.get_field("history_date").get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, {added}) "
                f"SELECT {tracked}, %s, %s, %s, '+' FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(pk.column)} IN ({marks})",
                [
                    date,
                    user.pk if user else None,
                    "",
                    *(pk.get_db_prep_value(row.pk, connection) for row in chunk),
                ],
            )


def _write_sources(
    project: Project,
    batch: Batch,
    name: str,
    user: User | None,
    report: FileReport,
    progress: Progress | None,
) -> list[_Prepared]:
    """Prepare and write the batch's sources a chunk at a time, so that neither a large file's
    sources nor their rows are ever all held at once; the sources with spans or coders stay, for
    their annotations. A source whose text is already in the project, or came earlier in the
    batch, is skipped; in the second case its spans and coders join the first copy's."""
    known = set(Source.objects.filter(project=project).values_list("sha256", flat=True))
    seen: set[str] = set()
    chunk: dict[str, _Prepared] = {}
    annotated: dict[str, _Prepared] = {}
    skipped_spans = number = 0
    total = len(batch.sources) if isinstance(batch.sources, Sized) else None
    for number, incoming in enumerate(_drained(batch.sources), start=1):
        text, spans = _normalised(incoming, number)
        digest = text_sha256(text)
        if digest in known:
            report.duplicates_skipped += 1
            skipped_spans += len(spans)
        elif digest in seen:
            report.duplicates_skipped += 1
            if spans or incoming.coders:
                first = chunk.get(digest) or annotated.get(digest)
                if first is None:
                    first = annotated[digest] = _Prepared(_stored(project, digest), [], set())
                first.spans.extend(spans)
                first.coders.update(incoming.coders)
        else:
            seen.add(digest)
            source = _source(project, incoming, text, digest, name, number)
            chunk[digest] = _Prepared(source, spans, set(incoming.coders))
        if len(chunk) == CHUNK:
            _write_chunk(chunk, annotated, user)
            chunk = {}
            if progress is not None:
                progress(number, _estimated_total(batch, number, total))
    _write_chunk(chunk, annotated, user)
    if progress is not None:
        progress(number, number)
    report.sources_created = len(seen)
    if skipped_spans:
        report.warnings.append(
            f"{skipped_spans} annotation(s) on sources the project already had were not imported"
        )
    return list(annotated.values())


def _drained(sources: Iterable[IncomingSource]) -> Iterator[IncomingSource]:
    """Each source once, a list's let go of as they are taken (a stream's are already)."""
    if isinstance(sources, list):
        sources.reverse()
        while sources:
            yield sources.pop()
    else:
        yield from sources


def _estimated_total(batch: Batch, done: int, total: int | None) -> int:
    """The number of sources, or for a stream, the count its share read so far points to."""
    if total is not None:
        return total
    share = batch.share_read() if batch.share_read is not None else 0.0
    return max(done, round(done / share)) if share > 0 else done


def _write_chunk(
    chunk: dict[str, _Prepared], annotated: dict[str, _Prepared], user: User | None
) -> None:
    _create_with_history(Source, [item.source for item in chunk.values()], user)
    annotated.update((digest, item) for digest, item in chunk.items() if item.spans or item.coders)


def _stored(project: Project, digest: str) -> Source:
    """A source this batch already wrote, for the spans of a later copy of its text."""
    return Source.objects.get(project=project, sha256=digest)


def _normalised(incoming: IncomingSource, number: int) -> tuple[str, list[IncomingSpan]]:
    where = f"source {number} ({incoming.title[:60]!r})"
    try:
        text, mapped = offset_mapper(incoming.text)
    except OffsetsLost as exc:
        raise Unreadable(f"{where}: {exc}") from None
    if problem := unstorable(text):
        raise Unreadable(f"{where}: the text {problem}")
    if not text.strip():
        raise Unreadable(f"{where}: the text is empty")
    spans = []
    for span in incoming.spans:
        if not 0 <= span.start < span.end <= len(incoming.text):
            raise Unreadable(
                f"{where}: a span [{span.start}, {span.end}) lies outside the text "
                f"({len(incoming.text)} characters)"
            )
        start, end = mapped(span.start, span.end)
        if start == end:
            raise Unreadable(f"{where}: a span [{span.start}, {span.end}) covers only a BOM")
        spans.append(IncomingSpan(span.coder, span.code_path, start, end, span.memo))
    return text, spans


def _source(
    project: Project, incoming: IncomingSource, text: str, digest: str, name: str, number: int
) -> Source:
    source = Source(
        project=project,
        title=incoming.title.strip()[:500] or f"{name} {number}",
        text=text,
        sha256=digest,
        kind=incoming.kind,
        outlet=incoming.outlet[:300],
        author=incoming.author[:300],
        url=incoming.url,
        published=incoming.published,
        language=incoming.language[:35],
        metadata=incoming.metadata,
        imported_from=name[:1000],
    )
    if problem := _invalid(source):
        raise Unreadable(f"source {number} ({source.title[:60]!r}): {problem}")
    return source


_url = URLValidator(schemes=["http", "https"])


def _invalid(source: Source) -> str:
    """What `clean_fields` would refuse in a source the readers built (lengths are cut to fit
    already), checked directly: `clean_fields` on every row was a fifth of an import's time."""
    if source.kind not in SourceKind.values:
        return f"unknown kind {source.kind!r}"
    if source.url:
        try:
            _url(source.url)
        except ValidationError:
            return f"not a web address: {source.url[:80]!r}"
    if len(source.url) > 2000:
        return "the web address is longer than 2,000 characters"
    return ""


def username_for(name: str) -> str:
    """The username a person named in another tool gets here: their name, with characters
    Django does not allow in usernames (spaces and the like) replaced by `_`."""
    return re.sub(r"[^\w.@+-]+", "_", name.strip()).strip("_")[:150] or "coder"


def _users(
    project: Project, names: list[str], full_names: dict[str, str], report: FileReport
) -> dict[str, User]:
    """Each named coder as an account: an existing username, else a new inactive account without
    a usable password (staff activate it), named by `full_names` where it has the coder; either
    way a member of the project."""
    users: dict[str, User] = {}
    members = set(Membership.objects.filter(project=project).values_list("user_id", flat=True))
    for name in names:
        username = username_for(name)
        user = User.objects.filter(username=username).first()
        if user is None:
            first, _, last = full_names.get(name, name).strip().partition(" ")
            user = User(username=username, is_active=False, first_name=first[:150])
            user.last_name = last[:150]
            user.set_unusable_password()
            user.save()
            report.users_created.append(username)
        if user.pk not in members:
            Membership.objects.create(project=project, user=user, role=Role.CODER)
            members.add(user.pk)
        users[name] = user
    return users


def _codes(
    project: Project,
    incoming: list[IncomingCode],
    span_paths: set[tuple[str, ...]],
    report: FileReport,
) -> dict[tuple[str, ...], Code]:
    """The project's code at each path, creating missing codes (and their parents)."""
    codebook = codebook_for(project)
    existing = {code.pk: code for code in Code.objects.filter(codebook=codebook)}

    def path_of(code: Code) -> tuple[str, ...]:
        parent = existing.get(code.parent_id) if code.parent_id else None
        return (*path_of(parent), code.name) if parent is not None else (code.name,)

    by_path = {path_of(code): code for code in existing.values()}
    details = {code.path: code for code in incoming}
    order = len(existing)
    for path in sorted({code.path for code in incoming} | span_paths, key=len):
        for depth in range(1, len(path) + 1):
            here = path[:depth]
            if here not in by_path:
                code = Code(codebook=codebook, parent=by_path.get(here[:-1]), name=here[-1][:200])
                code.order = order = order + 1
                code.number = code_number_next(codebook)
                _describe(code, details.get(here))
                code.save()
                by_path[here] = code
                report.codes_created += 1
    return by_path


def _describe(code: Code, details: IncomingCode | None) -> None:
    if details is None:
        return
    code.definition = details.definition
    code.inclusion = details.inclusion
    code.exclusion = details.exclusion
    code.example = details.example
    code.retired = details.retired
    try:
        colour_validator(details.colour)
    except ValidationError:
        return  # another tool's colour notation: keep the default colour
    code.colour = details.colour.lower()


def _annotations(
    prepared: list[_Prepared],
    users: dict[str, User],
    codes: dict[tuple[str, ...], Code],
    user: User | None,
) -> int:
    annotations: list[Annotation] = []
    assignments: list[Assignment] = []
    now = timezone.now()
    for item in prepared:
        seen = set()
        for span in item.spans:
            key = (span.coder, span.code_path, span.start, span.end)
            if key in seen:
                continue
            seen.add(key)
            annotations.append(
                Annotation(
                    source=item.source,
                    code=codes[span.code_path],
                    coder=users[span.coder],
                    start=span.start,
                    end=span.end,
                    quote=item.source.text[span.start : span.end],
                    memo=span.memo,
                )
            )
        coders = item.coders | {span.coder for span in item.spans}
        assignments.extend(
            Assignment(
                source=item.source,
                coder=users[name],
                status=AssignmentStatus.DONE,
                started_at=now,
                completed_at=now,
            )
            for name in sorted(coders)
        )
    _create_with_history(Annotation, annotations, user)
    _create_with_history(Assignment, assignments, user)
    return len(annotations)
