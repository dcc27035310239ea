"""Linking cases through shared people, phones, vehicles and addresses.

Service functions for the faces: `relink` (after an import), `links_for_case` and
`cluster_for_case` (the link chart), `all_pairs` and `clusters` (the `links` command), and the
judgements in `judgements`.
"""
from __future__ import annotations

from itertools import chain

from triage_app.linking import names, resolve
from triage_app.linking.graph import all_pairs, cluster_for_case, clusters, links_for_case  # noqa: F401


def relink(conn, case_ids=None) -> set[int]:
    """Update the links that touch the given case ids (None: all). Runs inside the caller's transaction.

    Links between two untouched cases are left as they are. A rejected pair is never written again.
    Cases at the other end of a link that appeared or went away are rescored here (their link
    factors changed); the caller rescores the touched cases themselves. Returns every case whose
    links changed or may have changed.
    """
    touched = None if case_ids is None else set(case_ids)
    if touched is not None and not touched:
        return set()
    try:
        return _relink(conn, touched)
    finally:
        names.forget()  # the name caches hold every name in the vault by now; relinks are rare


def _relink(conn, touched: set[int] | None) -> set[int]:
    refs = {cid: ref for cid, ref in conn.execute("SELECT id, ref FROM cases")}
    if touched is not None and touched >= refs.keys():
        touched = None  # a first import touches every case: one full pass is cheaper
    noms = resolve.load_nominals(conn)
    rejected = {(a, b) for a, b in conn.execute("SELECT case_a, case_b FROM link_judgements WHERE judgement = 'rejected'")}
    evidence = chain(resolve.identifier_evidence(conn, noms, refs, touched),
                     resolve.person_evidence(noms, refs, touched))
    new = resolve.aggregate(evidence, rejected)
    changed = resolve.write_changes(conn, resolve.existing(conn, touched), new)
    del noms, evidence, new     # before the partners' rescore, which reads on its own
    if touched is None:
        return set(chain.from_iterable(changed))
    affected = set(chain.from_iterable(changed)) | touched
    partners = affected - touched
    if partners:
        from triage_app.triage import rescore
        rescore(conn, partners)
    return affected
