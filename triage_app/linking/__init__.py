"""Linking cases through shared people, phones, vehicles and addresses.

Service functions for the faces: `relink` (after an import), `links_for_case` and
`cluster_for_case` (the link chart), `all_pairs` and `clusters` (the `links` command), and the
judgements in `judgements`.
"""
from __future__ import annotations

from itertools import chain

from triage_app.linking import resolve
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
    refs = {cid: ref for cid, ref in conn.execute("SELECT id, ref FROM cases")}
    noms = resolve.load_nominals(conn)
    rejected = {(a, b) for a, b in conn.execute("SELECT case_a, case_b FROM link_judgements WHERE judgement = 'rejected'")}
    evidence = chain(resolve.identifier_evidence(conn, noms, refs, touched),
                     resolve.person_evidence(noms, refs, touched))
    links = resolve.aggregate(evidence, rejected)

    if touched is None:
        conn.execute("DELETE FROM link_evidence")
        conn.execute("DELETE FROM links")
        resolve.write(conn, links)
        return set(refs)

    before = set()
    ids = sorted(touched)
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        marks = ",".join("?" * len(part))
        before.update(chain.from_iterable(conn.execute(
            f"SELECT case_a, case_b FROM links WHERE case_a IN ({marks}) OR case_b IN ({marks})", part + part)))
        conn.execute(f"DELETE FROM link_evidence WHERE case_a IN ({marks}) OR case_b IN ({marks})", part + part)
        conn.execute(f"DELETE FROM links WHERE case_a IN ({marks}) OR case_b IN ({marks})", part + part)
    resolve.write(conn, links)
    affected = before | set(chain.from_iterable(links)) | touched
    partners = affected - touched
    if partners:
        from triage_app.triage import rescore
        rescore(conn, partners)
    return affected
