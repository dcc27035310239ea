"""The linker's columns of every nominal, kept in the vault between relinks (table link_features).

Working out the columns (name tokens and sounds, normalised postcodes and addresses) is most of a
relink's reading. A relink keeps them as one encrypted row in the vault, so the next one reads the
copy and works out only the nominals of the cases it is told about and those added since. The copy
is only a cache: a count that does not match the nominals table means it is not used.
Nothing leaves the vault: the copy is a BLOB inside the encrypted database, written and read in memory.
"""
from __future__ import annotations

import io
import json

import numpy as np

from triage_app.linking.features import ARRAYS, VOCABULARIES, Nominals, Vocabulary

FORMAT = 1


def read(conn):
    """(vocabularies, arrays, highest nominal id covered) or None."""
    row = conn.execute("SELECT format, max_id, vocabularies, arrays FROM link_features WHERE id = 1").fetchone()
    if row is None or row[0] != FORMAT:
        return None
    values = json.loads(row[2])
    vocabs = {}
    for name in VOCABULARIES:
        v = Vocabulary()
        items = [tuple(x) for x in values[name]] if name == "words" else values[name]
        v.values = items
        v.ids = {x: i for i, x in enumerate(items)}
        vocabs[name] = v
    with np.load(io.BytesIO(row[3]), allow_pickle=False) as data:
        arrays = {k: data[k] for k in ARRAYS}
    return vocabs, arrays, row[1]


def write(conn, t: Nominals) -> None:
    """Keep t's columns (only when some were worked out afresh)."""
    if not t.changed:
        return
    buf = io.BytesIO()
    np.savez(buf, **{k: getattr(t, k) for k in ARRAYS})
    vocabs = json.dumps({name: getattr(t, name).values for name in VOCABULARIES}, separators=(",", ":"))
    conn.execute("INSERT OR REPLACE INTO link_features(id, format, nominals, max_id, vocabularies, arrays) "
                 "VALUES (1, ?, ?, ?, ?, ?)",
                 (FORMAT, len(t), int(t.id.max()) if len(t) else 0, vocabs, buf.getvalue()))
