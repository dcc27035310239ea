"""Intelligence items on a case or on one of its nominals, graded 3x5x2 (College of Policing).

Source evaluation 1–3, intelligence assessment A–E, handling code P or C. A C item carries its
handling conditions, and stays out of any referral pack until a reviewer records a sanitisation
decision (the reason, and the wording the pack may carry), itself an audited change.
Audit entries name items by number and grade, never by their text.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from triage_app import audit
from triage_app.errors import BadInput, NotFound
from triage_app.material.attachments import case_id

SOURCE = {"1": "reliable", "2": "untested", "3": "not reliable"}
INTEL = {"A": "known directly to the source", "B": "known indirectly to the source but corroborated",
         "C": "known indirectly to the source", "D": "not known", "E": "suspected to be false or malicious"}
HANDLING = {"P": "lawful sharing permitted", "C": "lawful sharing permitted with conditions"}
MAX_TEXT, MAX_SHORT = 10000, 500
_GRADE = re.compile(r"^\s*([1-3])\s*[-/ ]?\s*([A-Ea-e])\s*[-/ ]?\s*([PCpc])\s*$")


def parse_grade(text: str) -> tuple[str, str, str]:
    """'1A-P' (also 1AP, 1/A/P, 1-a-c) → ('1', 'A', 'P'); BadInput otherwise."""
    m = _GRADE.match(text or "")
    if not m:
        shown = f" ('{text[:8]}' is not one)" if re.fullmatch(r"[\w/ -]{1,8}", text or "") else ""
        raise BadInput("A grade is the source evaluation (1-3), the intelligence assessment (A-E) and the handling "
                       f"code (P or C), written like 1A-P{shown}.")
    return m.group(1), m.group(2).upper(), m.group(3).upper()


def grade_code(item: dict) -> str:
    return f"{item['source_grade']}{item['intel_grade']}-{item['handling']}"


def grade_words(item: dict) -> str:
    """'1A-P: source reliable; known directly to the source; lawful sharing permitted'."""
    words = (f"{grade_code(item)}: source {SOURCE[item['source_grade']]}; {INTEL[item['intel_grade']]}; "
             f"{HANDLING[item['handling']]}")
    if item["handling"] == "C" and item.get("conditions"):
        words += f" (conditions: {item['conditions']})"
    return words


def _text(value, what: str, limit: int, *, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise BadInput(f"Give the {what}.")
        return None
    if len(text) > limit:
        raise BadInput(f"The {what} may be at most {limit} characters.")
    return text


def _date(value: str | None) -> str:
    if not value:
        return date.today().isoformat()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(value.strip(), fmt).date()
            break
        except ValueError:
            continue
    else:
        raise BadInput("The intelligence date is not a date in the form YYYY-MM-DD or DD/MM/YYYY.")
    if parsed > date.today():
        raise BadInput(f"The intelligence date {parsed.isoformat()} is in the future.")
    return parsed.isoformat()


def _nominal(conn, cid: int, ref: str, nominal) -> int | None:
    """A nominal of this case by the records system's id, else by the vault's number (case show --json)."""
    if nominal in (None, ""):
        return None
    text = str(nominal).strip()
    row = conn.execute("SELECT id FROM nominals WHERE case_id = ? AND nominal_id = ?", (cid, text)).fetchone()
    if row is None and text.isdigit():
        row = conn.execute("SELECT id FROM nominals WHERE case_id = ? AND id = ?", (cid, int(text))).fetchone()
    if row is None:
        raise NotFound(f"Case {ref[:40]} has no nominal {text[:20]} (use the id shown by 'case show {ref[:40]} --json').")
    return row[0]


# --- add, list, sanitise --------------------------------------------------------------------

def add(session, ref: str, *, text: str, source: str, grade: str, conditions: str | None = None,
        nominal=None, item_date: str | None = None) -> dict:
    session.require("review")
    text = _text(text, "intelligence text", MAX_TEXT)
    source = _text(source, "source of the intelligence", MAX_SHORT)
    s, i, h = parse_grade(grade)
    conditions = _text(conditions, "handling conditions", MAX_SHORT, required=False)
    if h == "C" and not conditions:
        raise BadInput("Handling code C needs its conditions (--conditions): say on what terms it may be shared.")
    if h == "P" and conditions:
        raise BadInput("Handling code P carries no conditions; grade it C if sharing has conditions.")
    when = _date(item_date)
    with session.change("review", "intel.add", kind="collection", case=ref) as entry:
        conn = session.conn
        cid = case_id(conn, ref)
        nid = _nominal(conn, cid, ref, nominal)
        number = conn.execute(
            "INSERT INTO intel_items(case_id, nominal, text, source, item_date, source_grade, intel_grade, handling, "
            "conditions, added_by, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (cid, nid, text, source, when, s, i, h, conditions, session.user, audit.utc_now())).lastrowid
        entry.update(item=number, grade=f"{s}{i}-{h}", nominal=nid)
    return item(session.conn, number)


_ITEM_SQL = ("SELECT i.id, i.case_id, i.nominal, i.text, i.source, i.item_date, i.source_grade, i.intel_grade, "
             "i.handling, i.conditions, i.added_by, i.added_at, n.role, n.forenames, n.surname, n.nominal_id "
             "FROM intel_items i LEFT JOIN nominals n ON n.id = i.nominal")


def _shape(conn, r) -> dict:
    out = {"id": r["id"], "text": r["text"], "source": r["source"], "date": r["item_date"],
           "source_grade": r["source_grade"], "intel_grade": r["intel_grade"], "handling": r["handling"],
           "conditions": r["conditions"], "added_by": r["added_by"], "added_at": r["added_at"]}
    out["grade"] = grade_code(out)
    out["grade_words"] = grade_words(out)
    out["nominal"] = None if r["nominal"] is None else {
        "id": r["nominal"], "nominal_id": r["nominal_id"], "role": r["role"],
        "name": " ".join(x for x in (r["forenames"], r["surname"]) if x) or "unnamed"}
    s = conn.execute("SELECT decided_by, decided_at, reason, text FROM intel_sanitisations WHERE item = ? "
                     "ORDER BY id DESC LIMIT 1", (r["id"],)).fetchone()
    out["sanitisation"] = None if s is None else {"by": s[0], "at": s[1], "reason": s[2], "text": s[3]}
    out["may_go_in_pack"] = r["handling"] == "P" or s is not None
    return out


def item(conn, number: int) -> dict:
    r = conn.execute(_ITEM_SQL + " WHERE i.id = ?", (number,)).fetchone()
    return _shape(conn, r)


def items(conn, cid: int) -> list[dict]:
    """The case's items, oldest first (no audit entry: the caller writes one)."""
    return [_shape(conn, r) for r in conn.execute(_ITEM_SQL + " WHERE i.case_id = ? ORDER BY i.item_date, i.id",
                                                  (cid,)).fetchall()]


def listing(session, ref: str, *, purpose: str = "intel list") -> list[dict]:
    session.require("read")
    out = items(session.conn, case_id(session.conn, ref))
    session.record("read", "intel.list", case=ref, detail={"items": len(out), "purpose": purpose})
    return out


def sanitise(session, ref: str, number, *, reason: str, text: str | None = None) -> dict:
    """Record the decision that a C-coded item may go into a pack, and the wording it goes in with
    (default: its own text). Each decision is kept; the latest one counts."""
    session.require("review")
    reason = _text(reason, "reason for the sanitisation decision", MAX_SHORT)
    wording = _text(text, "sanitised wording", MAX_TEXT, required=False)
    with session.change("review", "intel.sanitise", kind="alteration", case=ref) as entry:
        conn = session.conn
        cid = case_id(conn, ref)
        try:
            n = int(number)
        except (TypeError, ValueError):
            raise BadInput(f"An intelligence item is named by its number (see 'intel list {ref[:40]}').")
        row = conn.execute("SELECT id, handling, text FROM intel_items WHERE id = ? AND case_id = ?", (n, cid)).fetchone()
        if row is None:
            raise NotFound(f"Case {ref[:40]} has no intelligence item {n}.")
        if row["handling"] != "C":
            raise BadInput(f"Intelligence item {n} is handled P; it goes into a pack as it is, with no decision needed.")
        conn.execute("INSERT INTO intel_sanitisations(item, decided_by, decided_at, reason, text) VALUES (?,?,?,?,?)",
                     (n, session.user, audit.utc_now(), reason, wording or row["text"]))
        entry.update(item=n, reason=reason, reworded=wording is not None)
    return item(session.conn, n)


# --- for other screens and the pack ---------------------------------------------------------

def for_pack(conn, cid: int) -> tuple[list[dict], list[int]]:
    """(items a pack may carry, with a C item's sanitised wording as its text; numbers of C items
    left out because no sanitisation decision is recorded)."""
    carried, withheld = [], []
    for it in items(conn, cid):
        if it["handling"] == "C":
            if it["sanitisation"] is None:
                withheld.append(it["id"])
                continue
            it = {**it, "text": it["sanitisation"]["text"]}
        carried.append(it)
    return carried, withheld


def tooltips(conn, case_ids: list[int], nominal_ids: list[int]) -> dict[str, list[str]]:
    """Grading lines for link chart nodes: {"case:ID" | "person:ID": ["Intelligence 2B-C (date) …"]}."""
    out: dict[str, list[str]] = {}
    if not case_ids and not nominal_ids:
        return out
    clauses, params = [], []
    if case_ids:
        clauses.append(f"(case_id IN ({','.join('?' * len(case_ids))}) AND nominal IS NULL)")
        params += list(case_ids)
    if nominal_ids:
        clauses.append(f"nominal IN ({','.join('?' * len(nominal_ids))})")
        params += list(nominal_ids)
    for r in conn.execute("SELECT id, case_id, nominal, item_date, source_grade, intel_grade, handling, conditions "
                          f"FROM intel_items WHERE {' OR '.join(clauses)} ORDER BY item_date, id", params):
        key = f"person:{r['nominal']}" if r["nominal"] is not None else f"case:{r['case_id']}"
        words = grade_words(dict(zip(r.keys(), tuple(r))))
        out.setdefault(key, []).append(f"Intelligence {r['id']} ({r['item_date']}) graded {words}")
    return out
