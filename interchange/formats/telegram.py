"""Telegram Desktop channel exports (`result.json`, or the export folder zipped).

Each message with text becomes a social-media post. Telegram writes a message's `text` either as
a string or as a list mixing strings and entity objects (`{"type": "bold", "text": ...}`); both
flatten to the plain text a reader saw. Service messages (joins, pins) and media without a
caption are left out.
"""

import io
from codecs import BOM_UTF8 as BOM
from collections.abc import Iterator
from datetime import date
from typing import Any

import ijson

from interchange.formats.incoming import Batch, IncomingSource, Options, Unreadable, Upload
from interchange.formats.safety import is_zip, open_zip
from interchange.formats.text import check_utf8, title_from
from sources.models import SourceKind, unstorable

METADATA = ("edited", "forwarded_from", "views", "reply_to_message_id", "from", "author")


def _result_json(upload: Upload) -> bytes | None:
    if upload.name.lower().endswith(".json"):
        return upload.data
    if upload.name.lower().endswith(".zip") and is_zip(upload.data):
        files = open_zip(upload.data, upload.name)
        found = sorted(name for name in files if name.rsplit("/", 1)[-1] == "result.json")
        return files[found[0]] if found else None
    return None


def detect(upload: Upload) -> bool:
    if upload.name.lower().endswith(".json"):
        return b'"messages"' in upload.data[:1_000_000] or b'"messages"' in upload.data[-200:]
    if upload.name.lower().endswith(".zip") and is_zip(upload.data):
        return b"result.json" in upload.data
    return False


def flatten(text: Any) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", "")) for part in text
        )
    return ""


def _source(message: dict[str, Any], channel: str, channel_id: Any) -> IncomingSource | None:
    text = flatten(message.get("text"))
    if message.get("type") != "message" or not text.strip():
        return None
    message_id = message.get("id")
    if problem := unstorable(text):
        raise Unreadable(f"message {message_id}: the text {problem}")
    sent = str(message.get("date") or "")
    metadata = {
        "channel": channel,
        "channel_id": channel_id,
        "message_id": message_id,
        "date": sent,
        **{key: message[key] for key in METADATA if message.get(key) is not None},
    }
    try:
        published = date.fromisoformat(sent[:10]) if sent else None
    except ValueError:
        published = None
    return IncomingSource(
        title=title_from(text, f"{channel} #{message_id}")[:120],
        text=text,
        kind=SourceKind.SOCIAL_MEDIA_POST,
        outlet=channel[:300],
        published=published,
        metadata=metadata,
    )


def _stream(data: bytes) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.seek(len(BOM) if data.startswith(BOM) else 0)
    return stream


def _header(data: bytes, name: str) -> tuple[str, Any]:
    """The channel's name and id, once the export is known to be an object with a message list.
    Telegram writes both before the messages; when they come after, the parser finds them
    further on without building the messages."""
    top: dict[str, Any] = {}
    try:
        events = ijson.parse(_stream(data), use_float=True)
        is_object = next(events, None) == ("", "start_map", None)
        for prefix, event, value in events if is_object else ():
            if prefix in ("name", "id"):
                top[prefix] = value
            if prefix == "messages":
                if event != "start_array":
                    break
                for key in {"name", "id"} - top.keys():
                    top[key] = next(ijson.items(_stream(data), key, use_float=True), None)
                return str(top["name"] or "Telegram channel"), top["id"]
    except ijson.JSONError as exc:
        raise Unreadable(f"{name} is not valid JSON ({exc})") from None
    raise Unreadable(f"{name} is not a Telegram chat export (no message list)")


def _sources(
    stream: io.BytesIO, channel: str, channel_id: Any, batch: Batch, name: str
) -> Iterator[IncomingSource]:
    """The posts one by one, each message parsed as it is reached: the parsed form of a whole
    large export is several times the size of its file. What was left out is counted in the
    batch's warnings once every message is read."""
    skipped = found = 0
    try:
        for message in ijson.items(stream, "messages.item", use_float=True):
            source = _source(message, channel, channel_id) if isinstance(message, dict) else None
            if source is None:
                skipped += 1
            else:
                found += 1
                yield source
    except ijson.JSONError as exc:
        raise Unreadable(f"{name} is not valid JSON ({exc})") from None
    if skipped:
        batch.warnings.append(f"{skipped} message(s) without text (service or media) left out")
    if not found:
        raise Unreadable(f"{name} has no messages with text")


def read(upload: Upload, options: Options) -> Batch:
    data = _result_json(upload)
    if data is None:
        raise Unreadable(f"{upload.name} holds no Telegram export (result.json)")
    check_utf8(data, upload.name)
    channel, channel_id = _header(data, upload.name)
    stream = _stream(data)
    batch = Batch(share_read=lambda: stream.tell() / len(data))
    batch.sources = _sources(stream, channel, channel_id, batch, upload.name)
    return batch
