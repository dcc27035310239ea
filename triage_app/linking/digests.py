"""A digest per link of everything its row is made from, kept in the vault (table link_digests),
so a relink words again only the links whose evidence changed.

A link's row (strength, basis, evidence, explanation, people…) follows from its evidence alone:
the nominals and their roles, what is shared, each person match's probability and waterfall, the
cases' refs and the model's version. A relink works out that digest for every link it finds
(cheap: numbers and short strings), and where it equals the digest kept for the link, and the row
in the vault is still the row that digest was kept with (a digest of the stored row is kept too),
the stored row is reused as it is. Anything else is built and worded afresh. Nothing leaves the
vault: the digests are a BLOB inside the encrypted database, written and read in memory.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np

FORMAT = 3   # 2: evidence digested by of_columns; 3: rows by their columns joined (of_row)
_MASK = (1 << 64) - 1


def of(text: str) -> int:
    """A 64-bit digest of a string."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def of_columns(*cols) -> np.ndarray:
    """A 64-bit digest per row of integer columns (arrays of one length, or ints for every row),
    uint64: each column is folded in with splitmix64's finaliser (a relink digests ~100k pieces of
    evidence; one string and one blake2b each cost more than the rest of their work)."""
    n = max((len(c) for c in cols if np.ndim(c)), default=1)
    h = np.full(n, 0x2545F4914F6CDD1D, dtype=np.uint64)
    for c in cols:
        x = np.asarray(c)
        if x.dtype.kind == "f":
            x = np.ascontiguousarray(x, dtype=np.float64).view(np.int64)   # the float's exact bits
        h = h * _GOLDEN ^ np.broadcast_to(x.astype(np.int64).astype(np.uint64), (n,))
        h = (h ^ (h >> _S30)) * _M1
        h = (h ^ (h >> _S27)) * _M2
        h = h ^ (h >> _S31)
    return h


def of_row(row: tuple) -> int:
    """A digest of a link's stored row (its columns as the vault gives them back, as text, apart
    by a unit separator: half the cost of the tuple's repr, which escapes every string again)."""
    return of("\x1f".join(map(str, row)))


def combine(a: int, b: int) -> int:
    """Digests of one link's pieces of evidence, whatever their order."""
    return (a + b) & _MASK


_CODE: dict = {}


def code(*sources: str) -> str:
    """What words a row: the source files of the modules that word and assemble it (the package's
    version in a bundle, where the source is not at hand). A new wording rewrites every row once."""
    got = _CODE.get(sources)
    if got is None:
        from triage_app import __version__
        h = hashlib.blake2b(f"{FORMAT} {__version__}".encode(), digest_size=8)
        for path in sources:
            try:
                h.update(Path(path).read_bytes())
            except (OSError, TypeError):
                pass
        got = _CODE[sources] = h.hexdigest()
    return got


def read(conn) -> dict[tuple[int, int], tuple[int, int]]:
    """(case_a, case_b) → (digest of the evidence, digest of the row) as last kept."""
    row = conn.execute("SELECT format, arrays FROM link_digests WHERE id = 1").fetchone()
    if row is None or row[0] != FORMAT:
        return {}
    with np.load(io.BytesIO(row[1]), allow_pickle=False) as data:
        a, b, d, r = (data[k].tolist() for k in ("case_a", "case_b", "digest", "row"))
    return {(x, y): (p, q) for x, y, p, q in zip(a, b, d, r)}


def write(conn, kept: dict[tuple[int, int], tuple[int, int]]) -> None:
    keys = list(kept)
    vals = [kept[k] for k in keys]
    buf = io.BytesIO()
    np.savez(buf, case_a=np.array([k[0] for k in keys], dtype=np.int64),
             case_b=np.array([k[1] for k in keys], dtype=np.int64),
             digest=np.array([v[0] for v in vals], dtype=np.uint64),
             row=np.array([v[1] for v in vals], dtype=np.uint64))
    conn.execute("INSERT OR REPLACE INTO link_digests(id, format, arrays) VALUES (1, ?, ?)", (FORMAT, buf.getvalue()))
