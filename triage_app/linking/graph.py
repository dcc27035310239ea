"""Reading links: the pairs (without rejected ones), clusters, and one case's link chart."""
from __future__ import annotations

import json
from collections import defaultdict

from triage_app.linking.explain import entries

_PAIRS_SQL = """
SELECT l.case_a, l.case_b, ca.ref, cb.ref, l.strength, l.basis, j.judgement, l.probability, l.explanation
FROM links l
JOIN cases ca ON ca.id = l.case_a
JOIN cases cb ON cb.id = l.case_b
LEFT JOIN link_judgements j ON j.case_a = l.case_a AND j.case_b = l.case_b
WHERE (j.judgement IS NULL OR j.judgement != 'rejected')"""


def all_pairs(conn, case_id: int | None = None, explained: bool = True) -> list[dict]:
    """Every link a reviewer should see, as `links --json` prints its `pairs`, strongest and oldest refs first.

    explained=False: without the explanation (its sentences are most of the cost), for callers that
    only follow links (the link chart, the chronology's cluster)."""
    sql, params = _PAIRS_SQL, []
    if not explained:
        sql = sql.replace(", l.explanation", ", NULL")
    if case_id is not None:
        sql += " AND (l.case_a = ? OR l.case_b = ?)"
        params = [case_id, case_id]
    out = []
    for a_id, b_id, a, b, strength, basis, judgement, probability, explanation in conn.execute(sql, params):
        pair = {"a": a, "b": b, "strength": strength, "probability": _probability(probability, strength),
                "basis": json.loads(basis), "judgement": judgement, "_ids": (a_id, b_id)}
        if explained:
            stored = json.loads(explanation)
            pair["explanation"] = entries(stored)
            pair["_explanation"] = stored
        out.append(pair)
    # confirmed first, then strong, then possible ranked by probability
    out.sort(key=lambda p: (p["judgement"] != "confirmed", p["strength"] != "strong", -p["probability"], p["a"], p["b"]))
    return out


def _probability(p, strength: str) -> float:
    """A link written before probabilities (an older vault not yet relinked) reads as 1 when strong."""
    if p is None:
        return 1.0 if strength == "strong" else 0.5
    return round(float(p), 6)


def public(pairs: list[dict]) -> list[dict]:
    return [{k: v for k, v in p.items() if not k.startswith("_")} for p in pairs]


def links_for_case(conn, case_id: int, explained: bool = True) -> list[dict]:
    """One case's links (`all_pairs` without the private keys); explained=False: without explanations."""
    return public(all_pairs(conn, case_id, explained))


def _components(edges) -> list[set]:
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict = defaultdict(set)
    for x in parent:
        groups[find(x)].add(x)
    return list(groups.values())


def clusters(conn, pairs: list[dict] | None = None) -> list[list[str]]:
    """Connected components over strong and confirmed pairs, biggest first, refs sorted."""
    pairs = all_pairs(conn) if pairs is None else pairs
    edges = [(p["a"], p["b"]) for p in pairs if p["strength"] == "strong" or p["judgement"] == "confirmed"]
    comps = [sorted(c) for c in _components(edges)]
    comps.sort(key=lambda c: (-len(c), c[0]))
    return comps


def cluster_for_case(conn, case_id: int) -> dict:
    """The link chart around one case: its cluster's cases, the people, phones, vehicles and
    addresses that join them, and edges with strength, basis and judgement.

    The cluster follows strong and confirmed links (as `clusters`), plus this case's own possible
    links so a reviewer sees what waits for judgement.
    """
    seen, frontier = {case_id}, [case_id]
    case_edges: dict[tuple[int, int], dict] = {}
    while frontier:
        cid = frontier.pop()
        for p in all_pairs(conn, cid, explained=False):   # the chart shows no explanation
            a, b = p["_ids"]
            firm = p["strength"] == "strong" or p["judgement"] == "confirmed"
            if not firm and cid != case_id:
                continue
            case_edges[(a, b)] = p
            other = b if a == cid else a
            if other not in seen:
                seen.add(other)
                if firm:
                    frontier.append(other)
    nodes: dict[str, dict] = {}
    edges: list[dict] = []
    marks = ",".join("?" * len(seen))
    for cid, ref, priority, status in conn.execute(
            f"SELECT id, ref, priority, status FROM cases WHERE id IN ({marks})", sorted(seen)):
        nodes[f"case:{cid}"] = {"id": f"case:{cid}", "type": "case", "label": ref, "priority": priority,
                                "status": status}
    for (a, b), p in case_edges.items():
        edges.append({"source": f"case:{a}", "target": f"case:{b}", "type": "link", "strength": p["strength"],
                      "probability": p["probability"], "basis": p["basis"], "judgement": p["judgement"]})
    rows, chance = [], {}
    for (a, b) in case_edges:
        row = conn.execute("SELECT evidence, people FROM links WHERE case_a = ? AND case_b = ?", (a, b)).fetchone()
        if row:
            rows += [tuple(e) for e in json.loads(row[0])]
            chance.update({(na, nb): p for na, nb, p in json.loads(row[1])})
    people = {n for r in rows for n in (r[0], r[1])}
    if people:
        pm = ",".join("?" * len(people))
        for nid, cid, role, forenames, surname in conn.execute(
                f"SELECT id, case_id, role, forenames, surname FROM nominals WHERE id IN ({pm})", sorted(people)):
            label = " ".join(x for x in (forenames, surname) if x) or "unnamed"
            nodes[f"person:{nid}"] = {"id": f"person:{nid}", "type": "person", "label": label, "role": role}
            edges.append({"source": f"person:{nid}", "target": f"case:{cid}", "type": "on_case", "role": role})
    for na, nb, kind, value, strength in rows:
        if kind == "person":
            edges.append({"source": f"person:{na}", "target": f"person:{nb}", "type": "same_person",
                          "strength": strength, "probability": chance.get((na, nb), chance.get((nb, na))),
                          "basis": value})
        else:
            key = f"{kind}:{value}"
            nodes.setdefault(key, {"id": key, "type": kind, "label": value})
            for n in (na, nb):
                edges.append({"source": f"person:{n}", "target": key, "type": "uses"})
    unique = {json.dumps(e, sort_keys=True): e for e in edges}
    return {"case": case_id, "nodes": list(nodes.values()), "edges": list(unique.values())}
