"""An attachment's bytes inside the vault: 256 KiB chunks in `attachment_content`.

Chunks rather than one blob: a 50 MB file is never one 50 MB SQLite value to bind, copy and wipe
(cipher_memory_security zeroes every buffer SQLCipher frees), and a viewer reads only the chunks
a page needs (`Reader`: a seekable file object PDFium reads on demand), not the whole file.
"""
from __future__ import annotations

import hashlib
import io
from collections import OrderedDict

CHUNK = 256 * 1024


def store(conn, attachment_id: int, data: bytes) -> int:
    """Write `data` as the content of `attachment_id` (inside the caller's transaction); returns chunks."""
    view = memoryview(data)
    n = 0
    for n, start in enumerate(range(0, len(data), CHUNK)):
        conn.execute("INSERT INTO attachment_content(attachment, n, data) VALUES (?, ?, ?)",
                     (attachment_id, n, view[start:start + CHUNK]))
    return n + 1 if data else 0


def erase(conn, attachment_id: int) -> None:
    conn.execute("DELETE FROM attachment_content WHERE attachment = ?", (attachment_id,))


def read_all(conn, attachment_id: int) -> bytes:
    return b"".join(r[0] for r in conn.execute(
        "SELECT data FROM attachment_content WHERE attachment = ? ORDER BY n", (attachment_id,)))


def digest(conn, attachment_id: int) -> tuple[str, int]:
    """SHA-256 and size of the stored content, read chunk by chunk."""
    h, size = hashlib.sha256(), 0
    for (block,) in conn.execute("SELECT data FROM attachment_content WHERE attachment = ? ORDER BY n",
                                 (attachment_id,)):
        h.update(block)
        size += len(block)
    return h.hexdigest(), size


class Reader(io.RawIOBase):
    """The content of one attachment as a read-only, seekable file, fetched chunk by chunk.

    Only as long as the connection is open: a lock closes it, and reading then raises.
    """

    def __init__(self, conn, attachment_id: int, size: int, cache_chunks: int = 16):
        super().__init__()
        self._conn = conn
        self._id = attachment_id
        self._size = size
        self._pos = 0
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cache_chunks = cache_chunks
        self.chunks_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _chunk(self, n: int) -> bytes:
        block = self._cache.get(n)
        if block is None:
            row = self._conn.execute("SELECT data FROM attachment_content WHERE attachment = ? AND n = ?",
                                     (self._id, n)).fetchone()
            block = bytes(row[0]) if row else b""
            self.chunks_read += 1
            self._cache[n] = block
            if len(self._cache) > self._cache_chunks:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(n)
        return block

    def readinto(self, buffer) -> int:
        out = memoryview(buffer).cast("B")
        done = 0
        while done < len(out) and self._pos < self._size:
            n, offset = divmod(self._pos, CHUNK)
            block = self._chunk(n)
            if offset >= len(block):
                break
            take = min(len(out) - done, len(block) - offset)
            out[done:done + take] = block[offset:offset + take]
            done += take
            self._pos += take
        return done

    def close(self) -> None:
        self._cache.clear()
        self._conn = None
        super().close()
