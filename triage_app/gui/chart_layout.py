"""Where the link chart's nodes go (no Qt): which part of the cluster is shown, and a force-directed
layout from networkx (spring_layout, Fruchterman–Reingold, seeded so a chart always looks the same)
with the reviewer's case fixed at the centre.

The chart opens on the case and its direct links: the linked cases, and the people, phones,
vehicles and addresses that join them. The whole cluster is a key away.
"""
from __future__ import annotations

import math

import networkx as nx

from triage_app.pack.identity import initials

SPACING = 230.0     # pixels between neighbouring nodes at the default zoom
RING = 165.0        # pixels between the rings of the focused chart (vertically; twice that across)


def graph(chart: dict) -> nx.Graph:
    g = nx.Graph()
    for n in chart["nodes"]:
        g.add_node(n["id"])
    for e in chart["edges"]:
        if e["source"] in g and e["target"] in g:
            g.add_edge(e["source"], e["target"])
    return g


def shown(chart: dict, focal: str, whole: bool) -> set[str]:
    """The node ids on screen: all of them, or the focal case, the cases linked to it directly and
    what joins them (their people and the identifiers those people share)."""
    ids = {n["id"] for n in chart["nodes"]}
    if whole or focal not in ids:
        return ids
    cases = {focal} | {e["target"] if e["source"] == focal else e["source"] for e in chart["edges"]
                       if e["type"] == "link" and focal in (e["source"], e["target"])}
    people = {e["source"] for e in chart["edges"] if e["type"] == "on_case" and e["target"] in cases}
    things = {e["target"] for e in chart["edges"] if e["type"] == "uses" and e["source"] in people}
    return (cases | people | things) & ids


def rings(chart: dict, keep: set[str], focal: str) -> list[list[str]]:
    """The focused chart in rings: the case, its linked cases, their people, what the people share."""
    kinds = {n["id"]: n["type"] for n in chart["nodes"] if n["id"] in keep}
    cases = sorted(k for k, t in kinds.items() if t == "case" and k != focal)
    people = sorted(k for k, t in kinds.items() if t == "person")
    things = sorted(k for k, t in kinds.items() if t not in ("case", "person"))
    return [r for r in ([focal], cases, people, things) if r]


def positions(chart: dict, keep: set[str], focal: str | None, seed: int = 7, whole: bool = True
              ) -> dict[str, tuple[float, float]]:
    """Screen positions: the focused chart on concentric rings (networkx shell_layout), each ring
    wide enough for its nodes; the whole cluster by spring_layout with the case at the centre."""
    g = graph(chart).subgraph(keep).copy()
    if not g:
        return {}
    if not whole and focal in g:
        shells = rings(chart, keep, focal)
        raw = nx.shell_layout(g, nlist=shells, scale=1.0)
        out = {focal: (0.0, 0.0)}
        for i, shell in enumerate(shells[1:], start=1):
            # Ellipses twice as wide as tall: the chart's pane is landscape.
            radius = max(i * RING, len(shell) * SPACING * 0.6 / (2 * math.pi))
            for v in shell:
                x, y = raw[v]
                length = math.hypot(x, y) or 1.0
                out[v] = (x / length * radius * 1.9, y / length * radius)
        return out
    n = g.number_of_nodes()
    fixed = [focal] if focal in g else None
    start = {focal: (0.0, 0.0)} if fixed else None
    raw = nx.spring_layout(g, k=1.0 / math.sqrt(n), pos=start, fixed=fixed, seed=seed, iterations=200)
    if not fixed:
        raw = nx.rescale_layout_dict(raw, scale=1.0)
    # Spread so that neighbours sit about SPACING apart whatever the number of nodes.
    spread = SPACING * max(1.0, math.sqrt(n) / 1.2)
    span = max((max(abs(x), abs(y)) for x, y in raw.values()), default=1.0) or 1.0
    return {v: (x / span * spread, y / span * spread) for v, (x, y) in raw.items()}


def person_label(node: dict, victims_named: bool) -> str:
    """A person's label: the names the records give, a victim's as initials unless the reviewer
    chose (an audited choice) to see names."""
    names = node.get("names") or [node["label"]]
    if node.get("role") == "victim" and not victims_named:
        names = sorted({initials(name, None) for name in names})
    roles = "/".join(node.get("roles") or ([node["role"]] if node.get("role") else []))
    cases = len(node.get("nominals") or [1])
    return " / ".join(names) + (f" ({roles})" if roles else "") + (f" · {cases} records" if cases > 1 else "")
