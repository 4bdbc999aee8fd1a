"""A zip archive written as a stream of bytes, with the standard library's zipfile.

zipfile writes to an unseekable file by putting each entry's sizes and CRC in a data
descriptor after its data, so nothing is held in memory but the entry being compressed.
"""

import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, cast


class _Sink:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        if self.parts:
            data = b"".join(self.parts)
            self.parts.clear()
            yield data


class ZipStream:
    def __init__(self, moment: datetime):
        self.sink = _Sink()
        self.archive = zipfile.ZipFile(
            cast(IO[bytes], self.sink), "w", compression=zipfile.ZIP_DEFLATED
        )
        self.date_time = (max(moment.year, 1980), *moment.timetuple()[1:6])

    def entry(self, name: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
        info = zipfile.ZipInfo(name, date_time=self.date_time)  # type: ignore[arg-type]
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with self.archive.open(info, "w", force_zip64=True) as out:
            for chunk in chunks:
                out.write(chunk)
                yield from self.sink.drain()
        yield from self.sink.drain()

    def close(self) -> Iterator[bytes]:
        self.archive.close()
        yield from self.sink.drain()
