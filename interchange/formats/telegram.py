"""Telegram Desktop channel exports (`result.json`, or the export folder zipped).

Each message with text becomes a social-media post. Telegram writes a message's `text` either as
a string or as a list mixing strings and entity objects (`{"type": "bold", "text": ...}`); both
flatten to the plain text a reader saw. Service messages (joins, pins) and media without a
caption are left out.
"""

import json
from datetime import date
from typing import Any

from interchange.formats.incoming import Batch, IncomingSource, Options, Unreadable, Upload
from interchange.formats.safety import is_zip, open_zip
from interchange.formats.text import decode_utf8, title_from
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


def read(upload: Upload, options: Options) -> Batch:
    data = _result_json(upload)
    if data is None:
        raise Unreadable(f"{upload.name} holds no Telegram export (result.json)")
    try:
        export = json.loads(decode_utf8(data, upload.name))
        del data
    except ValueError as exc:
        raise Unreadable(f"{upload.name} is not valid JSON ({exc})") from None
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        raise Unreadable(f"{upload.name} is not a Telegram chat export (no message list)")
    channel = str(export.get("name") or "Telegram channel")
    batch = Batch()
    skipped = 0
    # Popped as they are read, so a large export's parsed messages are freed one by one.
    messages = export.pop("messages")[::-1]
    while messages:
        message = messages.pop()
        source = _source(message, channel, export.get("id")) if isinstance(message, dict) else None
        if source is None:
            skipped += 1
        else:
            batch.sources.append(source)
    if skipped:
        batch.warnings.append(f"{skipped} message(s) without text (service or media) left out")
    if not batch.sources:
        raise Unreadable(f"{upload.name} has no messages with text")
    return batch
