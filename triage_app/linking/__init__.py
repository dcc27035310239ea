"""Linking cases through shared people, phones, vehicles and addresses.

Service functions for the faces: `relink` (after an import), `links_for_case` and
`cluster_for_case` (the link chart), `all_pairs` and `clusters` (the `links` command), and the
judgements in `judgements`.
"""
from __future__ import annotations

import gc
from itertools import chain

from triage_app.linking import compare, heap, names, normalise, resolve
from triage_app.linking.graph import all_pairs, cluster_for_case, clusters, links_for_case  # noqa: F401


# Stages of a relink reported to `progress`: nominals read, pairs compared, model estimated,
# pairs scored, evidence gathered, links written.
STAGES = 6


class _Nothing:
    def start(self) -> None:
        pass

    def wait(self) -> None:
        pass


def relink(conn, case_ids=None, progress=None, meanwhile=None, ahead=None) -> set[int]:
    """Update the links that touch the given case ids (None: all). Runs inside the caller's transaction.

    Links between two untouched cases are left as they are. A rejected pair is never written again.
    Cases at the other end of a link that appeared or went away are rescored here (their link
    factors changed); the caller rescores the touched cases themselves. Returns every case whose
    links changed or may have changed.

    `progress(done, STAGES)` is called as each stage ends; the import passes its tracker's, which
    shows it and raises `Cancelled` there once the user has cancelled.

    `meanwhile.start()` is called as the arithmetic begins (blocking, the model, the scores) and
    `meanwhile.wait()` before the next statement: no statement is run between the two, so other work
    may use the connection meanwhile (the import's full-text fill: importing/beside.py).

    `ahead` (ahead.Ahead): the columns of the nominals an import wrote, worked out as it wrote them
    (features.load uses them where they are what it would read).
    """
    touched = None if case_ids is None else set(case_ids)
    if touched is not None and not touched:
        return set()
    collecting = gc.isenabled()
    gc.disable()   # a relink makes ~1M objects and few cycles: the collector's full passes cost ~10 % of it
    try:
        return _relink(conn, touched, progress or (lambda done, total: None), meanwhile or _Nothing(), ahead)
    finally:
        names.forget()  # the name caches hold every name in the vault by now; relinks are rare
        compare.forget()
        normalise.forget()
        heap.trim()   # what the relink freed goes back to the system before the score (heap.py)
        if collecting:
            gc.enable()


# Blocked pairs compared and scored at a time. Of each batch only the pairs at or above the
# possible threshold are kept (at 100k cases: ~130k of 7.5M blocked pairs), so a link never holds
# every blocked pair's levels and weights at once.
BATCH = 1 << 20
# Where two batches are worked on at once (batches.py), each is smaller: with two in flight the
# whole import's peak at 100k cases was 1,044 MB at 1M pairs each, 999 MB at 512k, 948 MB at 256k
# (one at a time, 1M: 903-922 MB).
TWO_AT_ONCE = 1 << 18


def _blocked(t, touched: set[int] | None):
    """The blocked pairs (ia, ib) of the touched cases' nominals (None: all)."""
    import numpy as np

    from triage_app.linking import blocking
    mask = None if touched is None else np.isin(t.case, np.fromiter(touched, dtype=np.int64))
    ia, ib, _ = blocking.candidates(t, mask)
    return ia, ib


def _compared(t, touched: set[int] | None, estimating: bool, model=None):
    """The blocked pairs (of the touched cases' nominals, None: all) and their comparison levels.
    Pairs the namesake rule rules out are dropped first (they would score 0), and with a `model`
    the pairs no address could lift to a suggestion (reach.py), except when the model is being
    estimated: EM learns from every blocked pair."""
    ia, ib = _blocked(t, touched)
    if not estimating:
        keep = ~compare.ruled_out(t, ia, ib)
        ia, ib = ia[keep], ib[keep]
        if model is not None:
            from triage_app.linking import reach
            return reach.compared(model, t, ia, ib)
    lv, swapped = compare.levels(t, ia, ib)
    return ia, ib, lv, swapped


def _estimate(t, ia, ib):
    """A new model from the blocked pairs (ia, ib), comparing only the pairs EM learns on (all of
    them in a small vault, ruled out or not: EM learns from every kind of blocked pair). Returns
    the model and, when every pair was compared, their levels (for the scoring to reuse)."""
    import numpy as np

    from triage_app.linking import model as fs
    pick = fs.em_sample(len(ia))
    if pick is None:
        lv, swapped = compare.levels(t, ia.astype(np.int64), ib.astype(np.int64))
        return fs.estimate(t, lv, len(ia)), (lv, swapped)
    lv, _ = compare.levels(t, ia[pick].astype(np.int64), ib[pick].astype(np.int64))
    return fs.estimate(t, lv, len(ia)), None


def _scored(model, t, ia, ib, known=None, progress=lambda share: None):
    """The scores of the blocked pairs (ia, ib) at or above the possible threshold, in their order.

    A batch at a time (two at once, batches.py): the pairs the namesake rule rules out are dropped
    unseen (they score 0), the rest compared (addresses only where one could lift a pair to a
    suggestion: reach.py) and scored, and only those a link may come of kept. `known`: the levels
    and swapped names of every pair, when the estimate compared them all already."""
    import numpy as np

    from triage_app.linking import batches, model as fs, reach

    def batch(lo: int):
        a, b = ia[lo:lo + size].astype(np.int64), ib[lo:lo + size].astype(np.int64)
        keep = np.flatnonzero(~compare.ruled_out(t, a, b))
        a, b = a[keep], b[keep]
        if known is None:
            a, b, lv, swapped = reach.compared(model, t, a, b)
        else:
            lv = {c: v[lo:lo + size][keep] for c, v in known[0].items()}
            swapped = known[1][lo:lo + size][keep]
        s = fs.score(model, t, a, b, lv, swapped, ambiguous=False)
        s = fs.kept(s, np.flatnonzero(s.probability >= model.thresholds["possible"]))
        del a, b, lv, swapped, keep
        heap.trim()    # each thread's malloc arena keeps what its batch freed otherwise (peak +40-100 MB)
        return s

    # two batches at a time, on two cores (batches.py); kept in their order
    # the machine's load read once: the batch size and the threads that work them go together
    threads = batches.threads()
    size = BATCH if threads == 1 else min(BATCH, TWO_AT_ONCE)
    parts = []
    starts = range(0, len(ia), size)
    with batches.ordered(batch, starts, at_once=threads) as results:
        for lo, part in zip(starts, results):
            parts.append(part)
            progress(min(lo + size, len(ia)) / max(len(ia), 1))
    scores = fs.joined(parts, model, t)
    fs.hold_ambiguous(scores)
    return scores


def _narrow(rows):
    """Row numbers as int32 when they fit (they are indexes into the vault's nominals)."""
    import numpy as np
    if rows.dtype == np.int32:
        return rows
    return rows.astype(np.int32) if len(rows) and rows.max() < 2 ** 31 else rows


def _relink(conn, touched: set[int] | None, progress, meanwhile, ahead=None) -> set[int]:
    asked = touched   # the cases the caller rescores itself

    from triage_app.linking import digests, features, model as fs, upgrade
    refs = {cid: ref for cid, ref in conn.execute("SELECT id, ref FROM cases")}
    everything = touched is not None and touched >= refs.keys()
    if upgrade.due(conn) is not None:
        touched = None   # links of an older linker are still here: every case is relinked once
        upgrade.clear(conn)
    if everything:
        touched = None  # a first import touches every case: one full pass is cheaper
    # the nominals of the cases asked about are worked out afresh (an import may have changed them)
    t = features.load(conn, asked, cached=not everything, ahead=ahead)
    progress(1, STAGES)
    current = fs.current(conn)
    known = None
    estimating = fs.needs_estimate(current, len(t))
    if estimating:
        touched = None  # a new estimate rescores every pair: links must all come from one version
    # from here to meanwhile.wait(): arithmetic only, no statement (see the docstring)
    meanwhile.start()
    ia, ib = _blocked(t, touched)
    # held as int32 while they are compared a batch at a time (100k cases, 7.5M pairs: 60 MB less)
    ia = _narrow(ia)
    ib = _narrow(ib)
    if estimating:
        current, known = _estimate(t, ia, ib)     # saved below: its version is the row it is saved as
    progress(2, STAGES)
    # compared and scored a batch at a time (stages 2 to 4; cancel heard after each batch)
    scores = _scored(current, t, ia, ib, known, lambda share: progress(2 + 2 * share, STAGES))
    del ia, ib, known
    meanwhile.wait()
    if estimating:
        current = fs.save(conn, current)
    ia, ib = scores.ia, scores.ib
    if touched is not None:
        # a record without a date of birth strongly matched here may also match a namesake born
        # years apart elsewhere: its case is relinked too, so every man it may be is compared
        more = set(t.case[fs.bridges(current, t, ia, ib, scores.probability)].tolist()) - touched
        if more:
            touched = touched | more
            scores = _scored(current, t, *_blocked(t, touched))
            ia, ib = scores.ia, scores.ib
    compare.forget()   # every distinct pair of names and addresses compared: not needed for the evidence
    progress(4, STAGES)
    judged = dict(conn.execute("SELECT case_a || ',' || case_b, judgement FROM link_judgements"))
    rejected = {tuple(map(int, k.split(","))) for k, j in judged.items() if j == "rejected"}
    confirmed = {tuple(map(int, k.split(","))) for k, j in judged.items() if j == "confirmed"}
    evidence = resolve.joined(resolve.identifier_pieces(conn, t, touched),
                              resolve.person_pieces(t, ia, ib, current, scores))
    old = resolve.existing(conn, touched)
    kept = digests.read(conn)
    new = resolve.aggregate(evidence, rejected, current.version, refs, old, kept)
    progress(5, STAGES)
    changed = resolve.write_changes(conn, old, new, confirmed)
    for key in old.keys() - new.keys():   # gone, or a confirmed row kept with no evidence behind it
        kept.pop(key, None)
    digests.write(conn, kept)
    features.save(conn, t)
    progress(6, STAGES)
    del evidence, new, old, kept, t, scores, ia, ib     # before the partners' rescore, which reads on its own
    if asked is None:
        return set(chain.from_iterable(changed))
    affected = set(chain.from_iterable(changed)) | asked
    partners = affected - asked
    if partners:
        from triage_app.triage import rescore
        rescore(conn, partners)
    return affected
