"""Reading reviews: plain functions over a connection, for `case show`, the triage screens, the
referral pack, the supervisor's inbox and the desktop screens. No audit here: the caller that
opens a case records the consultation (see `workflow.open_review`).
"""
from __future__ import annotations

import json

from triage_app.errors import NotFound
from triage_app.review import checklist as checklists

_REVIEW_COLS = ("id, case_id, version, state, author, checklist_id, checklist_version, recommendation, "
                "rationale, started_at, submitted_at, decided_at")


def _review_dict(row) -> dict:
    keys = [k.strip() for k in _REVIEW_COLS.split(",")]
    return dict(zip(keys, tuple(row)))


def latest_review(conn, case_id: int) -> dict | None:
    row = conn.execute(f"SELECT {_REVIEW_COLS} FROM reviews WHERE case_id = ? ORDER BY version DESC LIMIT 1",
                       (case_id,)).fetchone()
    return _review_dict(row) if row else None


def review_by_id(conn, review_id: int) -> dict | None:
    row = conn.execute(f"SELECT {_REVIEW_COLS} FROM reviews WHERE id = ?", (review_id,)).fetchone()
    return _review_dict(row) if row else None


def answers(conn, review_id: int) -> list[dict]:
    rows = conn.execute("SELECT item_id, answer, note, answered_at FROM review_answers WHERE review_id = ?",
                        (review_id,)).fetchall()
    return [{"item": r[0], "answer": r[1], "note": r[2], "at": r[3]} for r in rows]


def proposal_records(conn, review_id: int) -> dict[str, dict]:
    """{item: how its standing answer was confirmed from a proposal} (migration 31): the rule, the
    rules and checklist versions, the evidence as shown (victims already minimised), who and when.
    An item absent here was typed."""
    rows = conn.execute("SELECT item_id, answer, rule, rules_id, rules_version, checklist_version, evidence, "
                        "confirmed_by, confirmed_at FROM review_answer_proposals WHERE review_id = ?",
                        (review_id,)).fetchall()
    return {r[0]: {"answer": r[1], "rule": r[2], "rules": r[3], "rules_version": r[4], "checklist_version": r[5],
                   "evidence": json.loads(r[6]), "confirmed_by": r[7], "confirmed_at": r[8]} for r in rows}


def _with_source(given: list[dict], records: dict[str, dict]) -> list[dict]:
    """Each answer with `source` (typed or proposal) and `proposal` (its record, or None)."""
    out = []
    for a in given:
        rec = records.get(a["item"])
        out.append({**a, "source": "proposal" if rec else "typed",
                    "proposal": {k: v for k, v in rec.items() if k != "answer"} if rec else None})
    return out


def inquiries(conn, review_id: int) -> list[dict]:
    rows = conn.execute("SELECT number, title, category, priority, rationale, status, owner, from_item, raised_at "
                        "FROM review_inquiries WHERE review_id = ? ORDER BY number", (review_id,)).fetchall()
    return [{"number": r[0], "title": r[1], "category": r[2], "priority": r[3], "rationale": r[4],
             "status": r[5], "owner": r[6], "from_item": r[7], "raised_at": r[8]} for r in rows]


def contacts(conn, review_id: int) -> list[dict]:
    rows = conn.execute("SELECT contact_date, method, outcome, wishes, support_offered, recorded_at "
                        "FROM review_contacts WHERE review_id = ? ORDER BY contact_date, id", (review_id,)).fetchall()
    return [{"date": r[0], "method": r[1], "outcome": r[2], "wishes": r[3],
             "support_offered": json.loads(r[4]), "recorded_at": r[5]} for r in rows]


def decisions(conn, review_id: int) -> list[dict]:
    rows = conn.execute("SELECT decision, by_user, by_role, decided_at, comment FROM review_decisions "
                        "WHERE review_id = ? ORDER BY id", (review_id,)).fetchall()
    return [{"decision": r[0], "by": r[1], "role": r[2], "at": r[3], "date": r[3][:10], "comment": r[4]}
            for r in rows]


def content(conn, review_id: int) -> dict:
    """What a reviewer wrote, in a form that compares across time (the snapshot on a decision)."""
    r = review_by_id(conn, review_id)
    return {
        "answers": {a["item"]: [a["answer"], a["note"]] for a in answers(conn, review_id)},
        "inquiries": {str(i["number"]): {k: i[k] for k in ("title", "category", "priority", "rationale",
                                                          "status", "owner")}
                      for i in inquiries(conn, review_id)},
        "contacts": [{k: c[k] for k in ("date", "method", "outcome", "wishes", "support_offered")}
                     for c in contacts(conn, review_id)],
        "recommendation": r["recommendation"],
        "rationale": r["rationale"],
    }


def _summary(conn, r: dict) -> dict:
    rid = r["id"]
    found = contacts(conn, rid)
    try:
        cl = checklists.load(r["checklist_id"], r["checklist_version"])
    except NotFound:
        cl = None   # e.g. a bundle from a newer version: the review still shows, in item-id order
    order = {it.id: n for n, it in enumerate(cl.items)} if cl else {}
    return {
        "review_id": rid,
        "state": r["state"],
        "version": r["version"],
        "author": r["author"],
        "checklist": {"id": r["checklist_id"], "version": r["checklist_version"]},
        "started_at": r["started_at"],
        "submitted_at": r["submitted_at"],
        "decided_at": r["decided_at"],
        "answers": sorted(_with_source(answers(conn, rid), proposal_records(conn, rid)),
                          key=lambda a: order.get(a["item"], len(order))),
        "inquiries": inquiries(conn, rid),
        "contacts": found,
        "victim_contact": "contacted" if found else "not_yet_contacted",
        "recommendation": r["recommendation"],
        "rationale": r["rationale"],
        "decisions": decisions(conn, rid),
        "missing_for_submit": (missing_for_submit(conn, rid) if cl and r["state"] in ("in_review", "returned")
                               else []),
        "earlier_versions": [v[0] for v in conn.execute(
            "SELECT version FROM reviews WHERE case_id = ? AND version < ? ORDER BY version",
            (r["case_id"], r["version"]))],
    }


def review_summary(conn, case_id: int) -> dict | None:
    """The latest review version of a case (used by `case show --json` under "review"), or None."""
    r = latest_review(conn, case_id)
    return _summary(conn, r) if r else None


def approved_recommendations(conn) -> dict[str, int]:
    """{recommendation: number of cases whose latest approved version recommends it}."""
    return dict(conn.execute(
        "SELECT r.recommendation, count(*) FROM reviews r WHERE r.state = 'approved' AND r.version = "
        "(SELECT max(version) FROM reviews x WHERE x.case_id = r.case_id AND x.state = 'approved') GROUP BY 1"))


def approved_review(conn, case_id: int) -> dict | None:
    """The latest approved version with its approving decision under "decision" (who, role, date,
    comment), for the referral pack; None when no version is approved."""
    row = conn.execute(f"SELECT {_REVIEW_COLS} FROM reviews WHERE case_id = ? AND state = 'approved' "
                       "ORDER BY version DESC LIMIT 1", (case_id,)).fetchone()
    if row is None:
        return None
    s = _summary(conn, _review_dict(row))
    approvals = [d for d in s["decisions"] if d["decision"] == "approve"]
    s["decision"] = approvals[-1] if approvals else None
    return s


def suspects_alive_answer(conn, case_id: int) -> bool | None:
    """The newest answer to 'suspects believed alive' over the case's review versions:
    True (yes), False (no), None (n/a, unanswered, or no review)."""
    row = conn.execute("SELECT a.answer FROM review_answers a JOIN reviews r ON r.id = a.review_id "
                       "WHERE r.case_id = ? AND a.item_id = 'suspects_alive' ORDER BY r.version DESC LIMIT 1",
                       (case_id,)).fetchone()
    return {"yes": True, "no": False}.get(row[0]) if row else None


def suspects_alive_answers(conn, case_ids) -> dict[int, bool | None]:
    """`suspects_alive_answer` for many cases at once (the triage screen's bulk reader)."""
    out: dict[int, bool | None] = {cid: None for cid in case_ids}
    # Newest version first, so the first answer seen for a case is the one that counts.
    seen: set[int] = set()
    for cid, answer in conn.execute("SELECT r.case_id, a.answer FROM review_answers a JOIN reviews r "
                                    "ON r.id = a.review_id WHERE a.item_id = 'suspects_alive' "
                                    "ORDER BY r.case_id, r.version DESC"):
        if cid in out and cid not in seen:
            seen.add(cid)
            out[cid] = {"yes": True, "no": False}.get(answer)
    return out


def need_met(conn, review_id: int, need: str) -> bool:
    """Whether the review's own record holds the fact a "yes" rests on (checklist.NEEDS)."""
    if need == "contact_with_wishes":
        sql = "SELECT 1 FROM review_contacts WHERE review_id = ? AND trim(coalesce(wishes, '')) != ''"
    elif need == "contact_with_support":
        sql = "SELECT 1 FROM review_contacts WHERE review_id = ? AND support_offered != '[]'"
    else:
        return False
    return conn.execute(sql, (review_id,)).fetchone() is not None


def missing_for_submit(conn, review_id: int) -> list[str]:
    """What stops a submission: unanswered mandatory item ids (and any "yes" whose record is gone,
    e.g. the contact it rested on was withdrawn), then 'recommendation' / 'rationale'."""
    r = review_by_id(conn, review_id)
    cl = checklists.load(r["checklist_id"], r["checklist_version"])
    given = dict(conn.execute("SELECT item_id, answer FROM review_answers WHERE review_id = ?", (review_id,)))
    answered = {i for i, a in given.items()
                if not (a == "yes" and cl.item(i).yes_needs and not need_met(conn, review_id, cl.item(i).yes_needs))}
    missing = [i for i in cl.mandatory_ids if i not in answered]
    if not r["recommendation"]:
        missing.append("recommendation")
    if not (r["rationale"] or "").strip():
        missing.append("rationale")
    return missing


def suggestions(conn, review_id: int) -> list[dict]:
    """Lines of inquiry the answers suggest that have not been raised yet (by item or by title)."""
    r = review_by_id(conn, review_id)
    cl = checklists.load(r["checklist_id"], r["checklist_version"])
    raised = inquiries(conn, review_id)
    raised_items = {i["from_item"] for i in raised if i["from_item"]}
    raised_titles = {i["title"].strip().lower() for i in raised}
    out = []
    for a in answers(conn, review_id):
        try:
            item = cl.item(a["item"])
        except Exception:
            continue
        s = item.suggests.get(a["answer"])
        if s and item.id not in raised_items and s.title.lower() not in raised_titles:
            out.append({"item": item.id, "answer": a["answer"], "title": s.title, "category": s.category,
                        "priority": s.priority})
    order = {it.id: n for n, it in enumerate(cl.items)}
    return sorted(out, key=lambda s: order[s["item"]])


def changes_since_return(conn, review_id: int) -> list[dict]:
    """What the author changed after the last return: [{"what", "key", "before", "after"}].
    Empty when the review was never returned."""
    row = conn.execute("SELECT snapshot FROM review_decisions WHERE review_id = ? AND decision = 'return' "
                       "ORDER BY id DESC LIMIT 1", (review_id,)).fetchone()
    if row is None:
        return []
    before, after = json.loads(row[0]), content(conn, review_id)
    out = []
    for what in ("answers", "inquiries"):
        for key in sorted(set(before[what]) | set(after[what]), key=lambda k: (len(k), k)):
            b, a = before[what].get(key), after[what].get(key)
            if b != a:
                out.append({"what": what[:-1] if what == "answers" else "inquiry", "key": key,
                            "before": b, "after": a})
    if before["contacts"] != after["contacts"]:
        added = [c for c in after["contacts"] if c not in before["contacts"]]
        out.append({"what": "contacts", "key": None, "before": len(before["contacts"]),
                    "after": len(after["contacts"]), "added": added})
    for key in ("recommendation", "rationale"):
        if before[key] != after[key]:
            out.append({"what": key, "key": None, "before": before[key], "after": after[key]})
    return out


def inbox(conn, user: str) -> list[dict]:
    """Submitted reviews waiting for a decision, excluding the user's own, oldest submission first."""
    rows = conn.execute("SELECT r.id, c.ref, c.id, r.version, r.author, r.submitted_at, "
                        "(SELECT count(*) FROM review_decisions d WHERE d.review_id = r.id AND d.decision = 'return') "
                        "FROM reviews r JOIN cases c ON c.id = r.case_id "
                        "WHERE r.state = 'submitted' AND r.author != ? ORDER BY r.submitted_at, c.ref",
                        (user,)).fetchall()
    return [{"review_id": r[0], "ref": r[1], "case_id": r[2], "version": r[3], "author": r[4],
             "submitted_at": r[5], "resubmission": r[6] > 0} for r in rows]
