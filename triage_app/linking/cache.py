"""The linker's columns of every nominal, kept in the vault between relinks (table link_features).

Working out the columns (name tokens and sounds, normalised postcodes and addresses) is most of a
relink's reading. A relink keeps them as one encrypted row in the vault, so the next one reads the
copy and works out only the nominals of the cases it is told about and those added since
(features.load). The copy is only a cache: a count that does not match the nominals table means it
is not used. Nothing leaves the vault: the copy is a BLOB inside the encrypted database, written
and read in memory.
"""
from __future__ import annotations

import io
import json

import numpy as np

FORMAT = 1


def read(conn, arrays: tuple[str, ...]):
    """({vocabulary name: values}, {column: array}, highest nominal id covered) or None."""
    row = conn.execute("SELECT format, max_id, vocabularies, arrays FROM link_features WHERE id = 1").fetchone()
    if row is None or row[0] != FORMAT:
        return None
    with np.load(io.BytesIO(row[3]), allow_pickle=False) as data:
        columns = {k: data[k] for k in arrays}
    return json.loads(row[2]), columns, row[1]


def write(conn, columns: dict, vocabularies: dict, count: int, max_id: int) -> None:
    buf = io.BytesIO()
    np.savez(buf, **columns)
    conn.execute("INSERT OR REPLACE INTO link_features(id, format, nominals, max_id, vocabularies, arrays) "
                 "VALUES (1, ?, ?, ?, ?, ?)",
                 (FORMAT, count, max_id, json.dumps(vocabularies, separators=(",", ":")), buf.getvalue()))
