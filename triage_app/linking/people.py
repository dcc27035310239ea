"""People as the linker resolves them: which nominal records (one per person per case) are the
same person across cases.

Two records are one person when the linker matched them firmly: a person match of strength
"strong" in a link's evidence (links.evidence: [nominal_a, nominal_b, kind, value, strength]), or
any person match on a link a reviewer confirmed (link_judgements). Rejected links are never written
as links, so they never join anyone. Groups are the connected components of those pairs
(union-find), so the link chart draws one node per person however many cases they appear on.

No Qt here: the chart, an export or a test can use it. The linker may change how it finds pairs
(a probabilistic linker); this module only reads what it wrote.
"""
from __future__ import annotations

import json
from collections import defaultdict


def person_pairs(conn, case_ids=None) -> list[tuple[int, int]]:
    """The firm person matches among links touching `case_ids` (None: every link)."""
    sql = ("SELECT l.case_a, l.case_b, l.strength, l.evidence, j.judgement FROM links l "
           "LEFT JOIN link_judgements j ON j.case_a = l.case_a AND j.case_b = l.case_b")
    params: list = []
    if case_ids is not None:
        ids = sorted(set(case_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        sql += f" WHERE l.case_a IN ({marks}) OR l.case_b IN ({marks})"
        params = ids + ids
    out = []
    for _a, _b, _strength, evidence, judgement in conn.execute(sql, params):
        if judgement == "rejected":
            continue
        for row in json.loads(evidence or "[]"):
            nominal_a, nominal_b, kind, _value, strength = row[:5]
            if kind == "person" and (strength == "strong" or judgement == "confirmed"):
                out.append((int(nominal_a), int(nominal_b)))
    return out


def groups(pairs) -> dict[int, int]:
    """nominal id → the person it belongs to (the smallest nominal id of its group)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def people(conn, case_ids=None) -> dict[int, int]:
    """nominal id → person id for every nominal firmly matched to another (others stand alone)."""
    return groups(person_pairs(conn, case_ids))


def merge_chart(chart: dict, person_of: dict[int, int]) -> dict:
    """The link chart with one node per person: the `person:N` nodes of one person become one
    node `person:P` whose label lists the names it was recorded under and whose `roles` and
    `nominals` gather its records. Edges are re-pointed; duplicate edges and the now-internal
    same-person edges go."""
    def key(node_id: str) -> str:
        if node_id.startswith("person:"):
            n = int(node_id.split(":", 1)[1])
            return f"person:{person_of.get(n, n)}"
        return node_id

    nodes: dict[str, dict] = {}
    names: dict[str, list[str]] = defaultdict(list)
    for n in chart["nodes"]:
        k = key(n["id"])
        if n["type"] != "person":
            nodes[k] = n
            continue
        merged = nodes.setdefault(k, {"id": k, "type": "person", "label": n["label"], "roles": [],
                                      "nominals": [], "role": n.get("role")})
        merged["nominals"].append(int(n["id"].split(":", 1)[1]))
        if n.get("role") and n["role"] not in merged["roles"]:
            merged["roles"].append(n["role"])
        if n["label"] not in names[k]:
            names[k].append(n["label"])
        for extra in ("forenames", "surname"):
            if extra in n and extra not in merged:
                merged[extra] = n[extra]
    for k, seen in names.items():
        nodes[k]["label"] = " / ".join(seen)
        nodes[k]["names"] = seen
        roles = nodes[k]["roles"]
        nodes[k]["role"] = "victim" if "victim" in roles else (roles[0] if roles else None)
    edges, kept = [], set()
    for e in chart["edges"]:
        s, t = key(e["source"]), key(e["target"])
        if s == t:
            continue
        sig = (s, t, e["type"], e.get("role")) if e["type"] != "link" else (s, t, "link", id(e))
        if sig in kept:
            continue
        kept.add(sig)
        edges.append(dict(e, source=s, target=t))
    return dict(chart, nodes=list(nodes.values()), edges=edges)
