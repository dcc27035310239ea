"""The columns of the people an import writes, worked out while its check writes them (stage.py).

At the start of a link, features.load reads the people back from the vault and works their columns
out (names parsed, sounds, postcodes and addresses normalised): at 100,000 cases ~3 s on the link's
critical path. The same rows passed through the import's check moments before, with their ids, so
the check hands each new nominal to `Ahead` as it writes it (a chunk at a time) and the link takes
their columns from here. features.load takes them only where it can prove them equal to its own
reading (`Worked.covers`), and numbers their strings as its own reading would (`Worked.columns_in`).
Only memory: dropped with the import, whether it commits, is refused or cancelled.
"""
from __future__ import annotations

from operator import itemgetter

import numpy as np

from triage_app.linking.features import ARRAYS, READ, VOCABULARIES, Columns, Vocabulary

# The columns holding ids of each vocabulary's strings.
NUMBERED = {"words": ("fore", "sur", "fore1", "sur1"), "sounds": ("fsound", "ssound"),
            "postcodes": ("postcode", "sector", "district"), "addresses": ("address", "street")}


class Worked:
    """The columns of nominals first..last (every id between, in id order), their strings numbered
    in `vocabs` in the order the rows first met them."""

    def __init__(self, arrays: dict, vocabs: dict):
        self.arrays, self.vocabs = arrays, vocabs
        self.first, self.last = int(arrays["id"][0]), int(arrays["id"][-1])

    def __len__(self) -> int:
        return len(self.arrays["id"])

    def covers(self, conn, above: int) -> bool:
        """Whether these are exactly the nominals with ids above `above`: then a reading of those
        (in id order) would meet the same rows in the same order. The ids here run first..last
        without a gap, so a table holding as many above `above`, from first to last, holds these
        and no other."""
        n, lo, hi = conn.execute("SELECT count(*), min(id), max(id) FROM nominals WHERE id > ?", (above,)).fetchone()
        return (n, lo, hi) == (len(self), self.first, self.last)

    def columns_in(self, vocabs: dict) -> dict:
        """These columns as features.Columns(vocabs) would work the rows out now, after the rows it has
        worked out so far: each string new to a vocabulary numbered there in the order these rows first
        met it (the order of its values here), a string it knows keeping its id. Adds the new strings
        to `vocabs`."""
        arrays = dict(self.arrays)
        for name, columns in NUMBERED.items():
            mine, theirs = self.vocabs[name], vocabs[name]
            if not theirs.values:      # nothing numbered there yet: the same numbering
                theirs.values, theirs.ids = list(mine.values), dict(mine.ids)
                continue
            # the last entry maps id -1 (nothing recorded) to -1
            renumber = np.array([theirs.id(v) for v in mine.values] + [-1], dtype=np.int32)
            for c in columns:
                arrays[c] = renumber[arrays[c]]
        return arrays


class Ahead:
    """Fed the nominals an import writes, a chunk at a time in id order (`add`); `take` hands their
    columns over once. Chunk after chunk through one features.Columns: the same as one pass.
    `layout`: the names of the values in each row given to `add`."""

    def __init__(self, layout: tuple[str, ...]):
        self._pick = itemgetter(*(layout.index(c) for c in READ))
        self.vocabs = {k: Vocabulary() for k in VOCABULARIES}
        self._work: Columns | None = Columns(self.vocabs)
        self._parts: list[dict] = []
        self._next: int | None = None
        self.in_order = True     # every id one more than the last: false, nothing is handed over

    def add(self, rows: list) -> None:
        """rows: nominals as written to the vault (values in `layout` order)."""
        if not rows or self._work is None:
            return
        cols = self._work(map(self._pick, rows))
        # Names and addresses are mostly met once (at 100k cases: 172k names, 163k addresses in 249k
        # people): their look-ups, kept through the check, left ~50 MB of Python's memory pages pinned
        # under the link once let go (RSS once the link's columns were loaded: 608 MB, main 551; let go
        # each chunk: 532; /work/team/features/probe.py). Those of dates, postcodes and genders (23k,
        # 12k, 2 distinct) are kept: they save time.
        self._work.forget_names_and_places()
        ids = cols["id"]
        if (self._next is not None and ids[0] != self._next) or (len(ids) > 1 and not (np.diff(ids) == 1).all()):
            self.in_order = False
        self._next = int(ids[-1]) + 1
        self._parts.append(cols)

    def take(self) -> Worked | None:
        """The columns worked out (None: none, or not in order); the builder's lists and look-ups
        are let go either way (the link's memory peaks after this)."""
        parts, vocabs, ok = self._parts, self.vocabs, self.in_order
        self._parts, self._work, self.vocabs = [], None, {}
        if not parts or not ok:
            return None
        arrays = {k: np.concatenate([p[k] for p in parts]) for k in ARRAYS}
        return Worked(arrays, vocabs)
