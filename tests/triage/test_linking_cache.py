"""The linker's columns kept in the vault between relinks (linking/cache.py) are the columns a
fresh reading of every nominal gives: after incremental imports and after a changed nominal."""
from dataclasses import replace

import numpy as np

from triage_app import importing, linking
from triage_app.demo.synthetic import generate
from triage_app.linking import features


def _strings(t, col, vocab):
    values = getattr(t, vocab).values
    return [values[i] if i >= 0 else None for i in getattr(t, col).tolist()]


def _same(a, b) -> bool:
    ok = all(np.array_equal(getattr(a, k), getattr(b, k)) for k in ("id", "case", "role", "dob", "finit", "sinit",
                                                                    "gender", "has_phone", "has_vehicle"))
    ok &= all(_strings(a, c, "words") == _strings(b, c, "words") for c in ("fore", "sur", "fore1", "sur1"))
    ok &= all(_strings(a, c, "sounds") == _strings(b, c, "sounds") for c in ("fsound", "ssound"))
    ok &= all(_strings(a, c, "postcodes") == _strings(b, c, "postcodes") for c in ("postcode", "sector", "district"))
    return ok and all(_strings(a, c, "addresses") == _strings(b, c, "addresses") for c in ("address", "street"))


def test_kept_columns_match_a_fresh_reading(login, tmp_path):
    s = login("sam")
    data = generate(240, seed=9)
    first = {c["crime_ref"] for c in data.cases[:120]}
    for part, keep in (("one", lambda ref: ref in first), ("two", lambda ref: ref not in first)):
        chunk = replace(data, cases=[c for c in data.cases if keep(c["crime_ref"])],
                        nominals=[n for n in data.nominals if keep(n["crime_ref"])])
        importing.run(s, *chunk.write_csv(tmp_path / part))
    kept = features.load(s.conn)
    assert not kept.changed                       # nothing read afresh: the kept copy was used
    assert _same(kept, features.load(s.conn, cached=False))
    # a nominal changed in place: the relink told about its case works it out again
    nid, case_id = s.conn.execute("SELECT id, case_id FROM nominals ORDER BY id LIMIT 1").fetchone()
    s.conn.execute("UPDATE nominals SET surname = 'Quarrington', postcode = 'LS1 4AB' WHERE id = ?", (nid,))
    linking.relink(s.conn, [case_id])
    kept = features.load(s.conn)
    assert _same(kept, features.load(s.conn, cached=False))
    i = int(np.flatnonzero(kept.id == nid)[0])
    assert kept.words.values[kept.sur[i]] == ("quarrington",)
