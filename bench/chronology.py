"""Time to draw the chronology of a 60-case cluster with 500 events, on screen and as a pack page.

Targets (issue 17): the desktop timeline drawn in at most 100 ms, the pack's timeline page in at most
300 ms. Each is printed as a median (wall and CPU) and as a ratio to a bare page made in the same run
(a QPainter filling the same image with one line of text; a one-page ReportLab document), so the
ratio says what the chronology adds whatever else the machine is doing. Also timed: drawing up the
chronology from the vault (`chronology.build`) and the whole annex (drawing and every table page).

    .venv/bin/python bench/chronology.py
"""
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import getSampleStyleSheet  # noqa: E402
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, SimpleDocTemplate  # noqa: E402

from triage_app import chronology, importing, users  # noqa: E402
from triage_app.audit import utc_now  # noqa: E402
from triage_app.demo.cluster import generate_cluster  # noqa: E402
from triage_app.gui.timeline_canvas import TimelineCanvas  # noqa: E402
from triage_app.pack import chronology as annex  # noqa: E402
from triage_app.pack.styles import FRAME_HEIGHT, FRAME_WIDTH, MARGIN_BOTTOM, MARGIN_X, PAGE  # noqa: E402
from triage_app.session import create_vault, open_vault  # noqa: E402
from triage_app.vault.keyslots import CHEAP_KDF  # noqa: E402

CASES, EVENTS, RUNS = 60, 500, 9
SIZE = (1400, 34 + 30 * CASES + 24)     # every lane in view: the whole picture is drawn


def median_of(fn, runs: int = RUNS) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def vault(folder: Path):
    s = create_vault(folder / "bench.db", "admin1", "bench admin passphrase", kdf=CHEAP_KDF)
    users.add_user(s, "sup1", "supervisor", "bench supervisor passphrase")
    s.close()
    s = open_vault(folder / "bench.db", "sup1", "bench supervisor passphrase")
    c = generate_cluster(CASES, seed=11)
    importing.run(s, *c.write_csv(folder / "export"))
    ids = [r[0] for r in s.query("SELECT id FROM cases WHERE ref != ? ORDER BY id", (c.outsider,))]
    extra = EVENTS - 3 * CASES      # offence, report and NFA of each case come from the record
    with s.change("review", "bench.events", case=c.refs[0]):
        s.conn.executemany(
            "INSERT INTO chronology_events(case_id, event_date, text, source, origin, added_by, added_at) "
            "VALUES (?, date('2009-01-01', ? || ' days'), ?, 'bench log', 'added', 'sup1', ?)",
            [(ids[i % len(ids)], (i * 37) % 2400, f"Bench event {i}", utc_now()) for i in range(extra)])
    return s, c


def bare_qpainter() -> None:
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(image)
    p.fillRect(image.rect(), QColor("#ffffff"))
    p.drawText(20, 20, "One page.")
    p.end()


def draw_timeline(canvas: TimelineCanvas) -> None:
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(image.rect(), QColor("#ffffff"))
    canvas.paint_on(p, *SIZE)
    p.end()


def bare_reportlab() -> None:
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph("One page.", getSampleStyleSheet()["Normal"])])


def pdf(flowables) -> bytes:
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=PAGE)
    doc.addPageTemplates([PageTemplate(id="p", frames=[Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT)])])
    doc.build(flowables)
    return buf.getvalue()


class _Data:     # what the annex reads from PackData
    def __init__(self, chron):
        self.chronology = chron


def main() -> None:
    app = QApplication.instance() or QApplication([])  # noqa: F841
    with tempfile.TemporaryDirectory(prefix="bench-chronology-") as folder:
        s, c = vault(Path(folder))
        chron = chronology.build(s.conn, c.refs[0])
        assert len(chron.events) == EVENTS and len(chron.members) == CASES, (len(chron.events), len(chron.members))
        build_wall, build_cpu = median_of(lambda: chronology.build(s.conn, c.refs[0]), 3)
        canvas = TimelineCanvas()
        canvas.resize(*SIZE)
        canvas.set_chronology(chron)
        canvas.select(len(chron.events) // 2, emit=False)
        results = [
            ("desktop timeline, 60 lanes, 500 events", median_of(lambda: draw_timeline(canvas)),
             median_of(bare_qpainter), 0.100, "bare QPainter image"),
            ("pack timeline page (PDF)", median_of(lambda: pdf(annex.drawings(chron))),
             median_of(bare_reportlab), 0.300, "bare ReportLab page"),
        ]
        whole = median_of(lambda: pdf(annex.section(_Data(chron))), 3)
        pages = pdf(annex.section(_Data(chron))).count(b"/Type /Page\n") or "several"
        s.close()
    print(f"cluster: {CASES} cases, {EVENTS} events; image {SIZE[0]}x{SIZE[1]}; medians of {RUNS} runs")
    print(f"draw up the chronology from the vault: {build_wall * 1000:.0f} ms wall, {build_cpu * 1000:.0f} ms CPU")
    for name, (wall, cpu), (bw, bc), target, base in results:
        verdict = "within" if wall <= target else "OVER"
        print(f"{name}: {wall * 1000:.1f} ms wall ({cpu * 1000:.1f} ms CPU) = {wall / bw:.1f}x a {base} "
              f"({bw * 1000:.2f} ms); target {target * 1000:.0f} ms: {verdict}")
    print(f"whole annex (timeline + cases + every event, {pages} pages): {whole[0] * 1000:.0f} ms wall "
          f"({whole[1] * 1000:.0f} ms CPU) = {whole[0] / results[1][2][0]:.1f}x a bare ReportLab page")
    print("Absolute times are noisy on a shared machine; the ratios are measured in the same run.")


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        raise SystemExit(print(__doc__) or 0)
    main()
