"""Linking cases through shared people, phones, vehicles and addresses.

Service functions for the faces: `relink` (after an import), `links_for_case` and
`cluster_for_case` (the link chart), `all_pairs` and `clusters` (the `links` command), and the
judgements in `judgements`.
"""
from __future__ import annotations

import gc
from itertools import chain

from triage_app.linking import compare, names, resolve
from triage_app.linking.graph import all_pairs, cluster_for_case, clusters, links_for_case  # noqa: F401


# Stages of a relink reported to `progress`: nominals read, pairs compared, model estimated,
# pairs scored, evidence gathered, links written.
STAGES = 6


def relink(conn, case_ids=None, progress=None) -> set[int]:
    """Update the links that touch the given case ids (None: all). Runs inside the caller's transaction.

    Links between two untouched cases are left as they are. A rejected pair is never written again.
    Cases at the other end of a link that appeared or went away are rescored here (their link
    factors changed); the caller rescores the touched cases themselves. Returns every case whose
    links changed or may have changed.

    `progress(done, STAGES)` is called as each stage ends; the import passes its tracker's, which
    shows it and raises `Cancelled` there once the user has cancelled.
    """
    touched = None if case_ids is None else set(case_ids)
    if touched is not None and not touched:
        return set()
    collecting = gc.isenabled()
    gc.disable()   # a relink makes ~1M objects and few cycles: the collector's full passes cost ~10 % of it
    try:
        return _relink(conn, touched, progress or (lambda done, total: None))
    finally:
        if collecting:
            gc.enable()
        names.forget()  # the name caches hold every name in the vault by now; relinks are rare
        compare.forget()


def _compared(t, touched: set[int] | None, estimating: bool, model=None):
    """The blocked pairs (of the touched cases' nominals, None: all) and their comparison levels.
    Pairs the namesake rule rules out are dropped first (they would score 0), and with a `model`
    the pairs no address could lift to a suggestion (reach.py), except when the model is being
    estimated: EM learns from every blocked pair."""
    import numpy as np

    from triage_app.linking import blocking, compare
    mask = None if touched is None else np.isin(t.case, np.fromiter(touched, dtype=np.int64))
    ia, ib, _ = blocking.candidates(t, mask)
    if not estimating:
        keep = ~compare.ruled_out(t, ia, ib)
        ia, ib = ia[keep], ib[keep]
        if model is not None:
            from triage_app.linking import reach
            return reach.compared(model, t, ia, ib)
    lv, swapped = compare.levels(t, ia, ib)
    return ia, ib, lv, swapped


def _relink(conn, touched: set[int] | None, progress) -> set[int]:
    import numpy as np
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
    t = features.load(conn, asked, cached=not everything)
    progress(1, STAGES)
    current = fs.current(conn)
    if fs.needs_estimate(current, len(t)):
        touched = None  # a new estimate rescores every pair: links must all come from one version
    estimating = fs.needs_estimate(current, len(t))
    ia, ib, lv, swapped = _compared(t, touched, estimating, current)
    progress(2, STAGES)
    if estimating:
        current = fs.save(conn, fs.estimate(t, lv))
        keep = ~fs.zeroed(lv)   # as a relink without an estimate does: pairs that would score 0 go
        ia, ib, swapped, lv = ia[keep], ib[keep], swapped[keep], {c: v[keep] for c, v in lv.items()}
        del keep
    progress(3, STAGES)
    scores = fs.score(current, t, ia, ib, lv, swapped)
    if touched is not None:
        # a record without a date of birth strongly matched here may also match a namesake born
        # years apart elsewhere: its case is relinked too, so every man it may be is compared
        more = set(t.case[fs.bridges(current, t, ia, ib, scores.probability)].tolist()) - touched
        if more:
            touched = touched | more
            ia, ib, lv, swapped = _compared(t, touched, False, current)
            scores = fs.score(current, t, ia, ib, lv, swapped)
    progress(4, STAGES)
    noms = resolve.nominal_index(t)
    judged = dict(conn.execute("SELECT case_a || ',' || case_b, judgement FROM link_judgements"))
    rejected = {tuple(map(int, k.split(","))) for k, j in judged.items() if j == "rejected"}
    confirmed = {tuple(map(int, k.split(","))) for k, j in judged.items() if j == "confirmed"}
    evidence = chain(resolve.identifier_evidence(conn, noms, refs, touched),
                     resolve.person_evidence(t, noms, refs, ia, ib, current, scores))
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
    del noms, evidence, new, old, kept, t, scores, lv     # before the partners' rescore, which reads on its own
    if asked is None:
        return set(chain.from_iterable(changed))
    affected = set(chain.from_iterable(changed)) | asked
    partners = affected - asked
    if partners:
        from triage_app.triage import rescore
        rescore(conn, partners)
    return affected
