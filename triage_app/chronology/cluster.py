"""Which cases a chronology spans: the case asked for and every case linked to it, through the
linking capability's API (`links_for_case`).

A link counts when a reviewer confirmed it, or when its match probability is at least the chosen
minimum (a suggestion, marked as such); rejected links never count. Cases linked through other
cases count too. Each case keeps its best path: all-confirmed paths first, then the path whose
weakest link is strongest (that weakest probability is the case's probability).
"""
from __future__ import annotations

import heapq

from triage_app.chronology.model import Member
from triage_app.chronology.settings import settings
from triage_app.errors import BadInput, NotFound
from triage_app.linking import links_for_case


def check_probability(value) -> float:
    try:
        p = float(value)
    except (TypeError, ValueError):
        raise BadInput("The minimum link probability must be a number between 0 and 1.") from None
    if not 0.0 <= p <= 1.0:
        raise BadInput(f"The minimum link probability must be between 0 and 1, not {p:g}.")
    return p


def probability(link: dict) -> float:
    """The link's match probability; a link without one: strong counts as certain (settings)."""
    p = link.get("probability")
    if isinstance(p, (int, float)):
        return float(p)
    s = settings()
    return s.strong_without_probability if link.get("strength") == "strong" else s.possible_without_probability


def case_id(conn, ref: str) -> int:
    row = conn.execute("SELECT id FROM cases WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"There is no case {ref[:40]} in this vault.")
    return row[0]


def members(conn, ref: str, min_probability: float) -> list[Member]:
    """The case and its linked cluster, the case first, then by ref."""
    start = case_id(conn, ref)
    best: dict[str, tuple[int, float]] = {ref: (1, 1.0)}
    info: dict[str, Member] = {ref: Member(ref, start, None, None)}
    ids = {ref: start}
    heap = [(-1, -1.0, ref)]
    done: set[str] = set()
    while heap:
        neg_c, neg_p, here = heapq.heappop(heap)
        if here in done:
            continue
        done.add(here)
        for link in links_for_case(conn, ids[here], explained=False):
            other = link["b"] if link["a"] == here else link["a"]
            if other in done:
                continue
            confirmed = link.get("judgement") == "confirmed"
            p = probability(link)
            if not confirmed and p < min_probability:
                continue
            score = (min(-neg_c, int(confirmed)), min(-neg_p, 1.0 if confirmed else p))
            if score > best.get(other, (-1, -1.0)):
                best[other] = score
                if other not in ids:
                    ids[other] = case_id(conn, other)
                info[other] = Member(other, ids[other], "confirmed" if score[0] else "suggested",
                                     round(score[1], 4), here)
                heapq.heappush(heap, (-score[0], -score[1], other))
    rest = sorted((m for r, m in info.items() if r != ref), key=lambda m: m.ref)
    return [info[ref]] + rest
