"""Time to make a referral pack: 30 lines of inquiry, 20 linked cases, long rationale text.

Two measures, each as a median and as a ratio to a bare one-page ReportLab document built in the
same run (so the ratio says what the pack adds, whatever the machine):
- render: the document alone, from synthetic PackData;
- issue:  the whole `issue_pack` from a vault (gather, minimise, render, write, packs row, audit).
Target: at most 0.5 s per pack.

    .venv/bin/python bench/pack.py
"""
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from triage_app import users
from triage_app.linking import relink
from triage_app.pack.document import render
from triage_app.pack.identity import minimise
from triage_app.pack.issue import issue_pack
from triage_app.pack.sample import sample_pack
from triage_app.review import checklist, workflow
from triage_app.session import create_vault, open_vault
from triage_app.vault.keyslots import CHEAP_KDF

PASS = {"admin1": "bench admin passphrase one", "rev1": "bench reviewer passphrase two",
        "sup1": "bench supervisor passphrase three"}
REF = "CR/2011/900000"
LONG = ("The victim was judged not credible because of missing episodes and the suspects' denials were "
        "accepted without testing them against the phone records. ") * 40


def bare_page() -> None:
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph("One page.", getSampleStyleSheet()["Normal"])])


def median_of(fn, runs: int) -> tuple[float, float]:
    """(wall, CPU) medians: CPU time also reads true on a machine busy with other work."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def _add_case(s, ref: str, n: int) -> None:
    cid = s.conn.execute("INSERT INTO cases(ref, nfa_date, nfa_rationale, summary, imported_at, updated_at) "
                         "VALUES (?, '2011-06-30', ?, ?, 'x', 'x')", (ref, LONG, LONG)).lastrowid
    s.conn.execute("INSERT INTO nominals(case_id, role, forenames, surname, name_norm, dob, natural_key) "
                   "VALUES (?, 'victim', 'Jodie', ?, ?, '1997-01-01', 'v')", (cid, f"Benchvictim{n}", f"jodie benchvictim{n}"))
    # The same suspect (name and date of birth) on every case: 20 strong links to the case under review.
    s.conn.execute("INSERT INTO nominals(case_id, role, forenames, surname, name_norm, dob, natural_key) "
                   "VALUES (?, 'suspect', 'Darren', 'Holloway', 'darren holloway', '1979-03-04', 's')", (cid,))


def build_vault(folder: Path) -> Path:
    path = folder / "bench.db"
    s = create_vault(path, "admin1", PASS["admin1"], kdf=CHEAP_KDF)
    users.add_user(s, "rev1", "reviewer", PASS["rev1"])
    users.add_user(s, "sup1", "supervisor", PASS["sup1"])
    s.close()
    sup, rev = open_vault(path, "sup1", PASS["sup1"]), open_vault(path, "rev1", PASS["rev1"])
    with sup.change("import", "bench.cases", kind="collection"):
        for n in range(21):
            _add_case(sup, REF if n == 0 else f"CR/2012/9{n:05d}", n)
        relink(sup.conn)
    workflow.start_review(rev, REF)
    for item in checklist.current().mandatory_ids:
        workflow.answer_item(rev, REF, item, "no", note=LONG[:600])
    for n in range(30):
        workflow.raise_inquiry(rev, REF, title=f"Line of inquiry {n + 1}", category="digital",
                               priority=("high", "medium", "low")[n % 3], rationale=LONG[: 300 + 40 * n], owner="rev1")
    workflow.record_contact(rev, REF, contact_date="2026-10-01", method="visit", outcome="Willing to talk",
                            wishes=LONG[:400], support=["isva"])
    workflow.recommend(rev, REF, "refer", LONG)
    workflow.submit(rev, REF)
    workflow.decide(sup, REF, "approve", "Agreed.")
    sup.close()
    rev.close()
    return path


def main(runs: int = 7) -> None:
    data = sample_pack(inquiries=30, linked=20, long_text=True)
    bare_page()
    render(minimise(data))                                      # fonts registered, caches warm
    base = median_of(bare_page, runs)
    rendered = median_of(lambda: render(minimise(data)), runs)
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        rev = open_vault(build_vault(folder), "rev1", PASS["rev1"])
        count = iter(range(1000))
        issued = median_of(lambda: issue_pack(rev, REF, folder / f"pack{next(count)}.pdf"), runs)
        pages = len(__import__("pypdf").PdfReader(str(folder / "pack0.pdf")).pages)
        rev.close()
    def line(what, m):
        return (f"{what}: wall {m[0] * 1000:7.1f} ms = {m[0] / base[0]:6.1f} x baseline | "
                f"CPU {m[1] * 1000:7.1f} ms = {m[1] / max(base[1], 1e-6):6.1f} x baseline")
    print(f"median of {runs} runs; baseline = a bare one-page ReportLab document built in this run")
    print(line("baseline one-page document       ", base))
    print(line("render, 30 inquiries + 20 links  ", rendered))
    print(line(f"issue_pack from the vault, {pages} pp", issued))
    print(f"target <= 500 ms per pack: {'met' if min(issued) <= 0.5 else 'NOT met'} "
          f"(CPU {issued[1] * 1000:.0f} ms, wall {issued[0] * 1000:.0f} ms)")

if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        raise SystemExit(print(__doc__) or 0)
    main()
