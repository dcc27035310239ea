"""The link chart: the case's cluster (from `linking.cluster_for_case`) on a QGraphicsView, with one
node per person as the linker resolves them (`linking.people`) and a networkx layout
(`chart_layout`). It opens on the case and its direct links; W (or "Show the whole cluster") shows
the rest. Victims are shown by initials unless the reviewer chooses names (an audited choice).

Cases, people, phones, vehicles and addresses are nodes of different shapes (not colour alone);
links between cases are labelled with their basis, strong ones solid and thick, possible ones
dashed, confirmed ones marked with a tick. Wheel or +/- zooms, dragging pans, F fits. A case opens
with a double-click on its node or Enter in the list; a suggested link is confirmed or rejected
with a reason through `linking.judgements.judge`. PNG and GraphML exports are audited disclosures
at the pack's identity levels (`triage_app.link_exports`, asked for in `export_identity`): the PNG
is drawn from the chart as it may leave the vault, never the one on screen, and the core writes
each file with its audit entry.
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QGraphicsItem, QGraphicsPathItem, QGraphicsScene, QGraphicsSimpleTextItem,
                               QGraphicsView, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QVBoxLayout, QWidget)

from triage_app import link_exports
from triage_app.errors import BadInput, TriageError
from triage_app.gui import chart_layout, export_identity
from triage_app.linking import cluster_for_case
from triage_app.linking.judgements import judge
from triage_app.linking.people import merge_chart, people

SHAPES = {"case": "rect", "person": "ellipse", "phone": "diamond", "vehicle": "hexagon", "address": "house"}
FILLS = {"case": "#dbe8f7", "person": "#fbe3c8", "phone": "#d9f0d3", "vehicle": "#eadcf2", "address": "#f2f2c4"}
KIND_WORDS = {"case": "Case", "person": "Person", "phone": "Phone", "vehicle": "Vehicle", "address": "Address"}


def _shape(kind: str, w: float, h: float) -> QPainterPath:
    p = QPainterPath()
    r = QRectF(-w / 2, -h / 2, w, h)
    shape = SHAPES.get(kind, "rect")
    if shape == "rect":
        p.addRoundedRect(r, 6, 6)
    elif shape == "ellipse":
        p.addEllipse(r)
    elif shape == "diamond":
        p.addPolygon(QPolygonF([QPointF(0, -h / 2 - 6), QPointF(w / 2 + 8, 0), QPointF(0, h / 2 + 6),
                                QPointF(-w / 2 - 8, 0), QPointF(0, -h / 2 - 6)]))
    elif shape == "hexagon":
        q = h / 2
        p.addPolygon(QPolygonF([QPointF(-w / 2, 0), QPointF(-w / 2 + q, -q), QPointF(w / 2 - q, -q), QPointF(w / 2, 0),
                                QPointF(w / 2 - q, q), QPointF(-w / 2 + q, q), QPointF(-w / 2, 0)]))
    else:  # a house: an address
        p.addPolygon(QPolygonF([QPointF(-w / 2, h / 2), QPointF(-w / 2, -h / 4), QPointF(0, -h / 2 - 6),
                                QPointF(w / 2, -h / 4), QPointF(w / 2, h / 2), QPointF(-w / 2, h / 2)]))
    return p


class NodeItem(QGraphicsPathItem):
    def __init__(self, node: dict, victims_named: bool = False):
        self.node = node
        kind = node["type"]
        if kind == "person":
            label = "Person: " + chart_layout.person_label(node, victims_named)
        else:
            label = (KIND_WORDS.get(kind, kind) + ": " if kind != "case" else "") + str(node["label"])
        text = QGraphicsSimpleTextItem(label)
        font = QFont()
        font.setPointSizeF(max(font.pointSizeF(), 10.0))
        font.setBold(kind == "case")
        text.setFont(font)
        br = text.boundingRect()
        super().__init__(_shape(kind, br.width() + 20, br.height() + 12))
        text.setParentItem(self)
        text.setPos(-br.width() / 2, -br.height() / 2)
        self.setBrush(QBrush(QColor(FILLS.get(kind, "#eeeeee"))))
        self.setPen(QPen(QColor("#222222"), 2.5 if kind == "case" else 1.2))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip(label)
        self.setZValue(2)


def _edge_pen(edge: dict) -> QPen:
    if edge["type"] == "link":
        strong = edge.get("strength") == "strong" or edge.get("judgement") == "confirmed"
        width = 3.5 if strong else 2.0
        if isinstance(edge.get("probability"), (int, float)):   # the probabilistic linker's weight
            width = 1.5 + 3.0 * max(0.0, min(1.0, float(edge["probability"])))
        pen = QPen(QColor("#1a1a1a"), width)
        pen.setStyle(Qt.PenStyle.SolidLine if strong else Qt.PenStyle.DashLine)
        return pen
    pen = QPen(QColor("#888888"), 1.0)
    pen.setStyle(Qt.PenStyle.DotLine if edge["type"] == "same_person" else Qt.PenStyle.SolidLine)
    return pen


def _basis(edge: dict) -> list[str]:
    basis = edge.get("basis") or []
    return basis if isinstance(basis, list) else [basis]


def basis_kinds(edge: dict) -> str:
    """'person, phone' from the core's sentences ('same phone +44… (suspect on …)'): short enough
    to sit on a line of the chart; the full sentences are in the tooltip and the list."""
    kinds = []
    for b in _basis(edge):
        m = re.search(r"(possibly )?(?:the )?same (\w+)", b)
        kind = (m.group(2) + ("?" if m.group(1) else "")) if m else " ".join(b.split()[:2])
        if kind not in kinds:
            kinds.append(kind)
    return ", ".join(kinds)


def link_label(edge: dict) -> str:
    mark = " ✓ confirmed" if edge.get("judgement") == "confirmed" else ""
    return f"{edge.get('strength', '')}{mark} · {basis_kinds(edge)}"


class ChartView(QGraphicsView):
    open_node = Signal(dict)
    toggle_whole = Signal()

    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def zoom(self, factor: float) -> None:
        self.scale(factor, factor)

    def fit(self) -> None:
        self.fitInView(self.scene().itemsBoundingRect().adjusted(-30, -30, 30, 30), Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, event):  # noqa: N802
        self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)

    def keyPressEvent(self, event):  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key in (Qt.Key.Key_F, Qt.Key.Key_0):
            self.fit()
        elif key == Qt.Key.Key_W:
            self.toggle_whole.emit()
        else:
            super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event):  # noqa: N802
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()
        if item is not None:
            self.open_node.emit(item.node)
        else:
            super().mouseDoubleClickEvent(event)


class LinkChart(QWidget):
    open_case = Signal(str)

    def __init__(self, holder, ref: str, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.ref = ref
        self.chart: dict = {"nodes": [], "edges": []}
        self.scene = QGraphicsScene(self)
        self.view = ChartView(self.scene)
        self.view.setObjectName("linkChart")
        self.view.open_node.connect(self._open_node)
        self.legend = QLabel("Thick solid line: strong or confirmed link · dashed line: possible link, waiting for "
                             "judgement · ✓ confirmed · dotted: possibly the same person.   Shapes: case (box), "
                             "person (oval, one per person across cases), phone (diamond), vehicle (hexagon), "
                             "address (house).   Arrows pan, +/− zoom, F fits, W shows the whole cluster.")
        self.legend.setObjectName("muted")
        self.legend.setWordWrap(True)

        self.cases = QListWidget()
        self.cases.setObjectName("chartCases")
        self.cases.itemActivated.connect(lambda it: self.open_case.emit(it.text()))
        self.links = QListWidget()
        self.links.setObjectName("chartLinks")
        self.links.currentRowChanged.connect(self._pick_link)
        self.reason = QLineEdit()
        self.reason.setObjectName("judgementReason")
        self.reason.setPlaceholderText("Reason for the judgement (required)")
        self.confirm = QPushButton("Con&firm link")
        self.confirm.setObjectName("confirmLink")
        self.confirm.clicked.connect(lambda: self.judge("confirm"))
        self.reject = QPushButton("Re&ject link")
        self.reject.setObjectName("rejectLink")
        self.reject.clicked.connect(lambda: self.judge("reject"))
        self.message = QLabel()
        self.message.setObjectName("chartMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        fit = QPushButton("F&it")
        fit.clicked.connect(self.view.fit)
        self.whole = QCheckBox("&Show the whole cluster (W)")
        self.whole.setObjectName("wholeCluster")
        self.whole.toggled.connect(lambda _on: self._draw())
        self.view.toggle_whole.connect(self.whole.toggle)
        self.names = QCheckBox("Victims' names (a&udited)")
        self.names.setObjectName("victimNames")
        self.names.setToolTip("Victims are shown by initials; showing their names is written to the audit log.")
        self.names.toggled.connect(self._names_toggled)
        png = QPushButton("E&xport PNG…")
        png.clicked.connect(lambda: self.export_dialog("png"))
        graphml = QPushButton("Export Graph&ML…")
        graphml.clicked.connect(lambda: self.export_dialog("graphml"))

        judge_box = QGroupBox("Judge the selected link")
        jl = QVBoxLayout(judge_box)
        jl.addWidget(self.reason)
        row = QHBoxLayout()
        row.addWidget(self.confirm)
        row.addWidget(self.reject)
        jl.addLayout(row)
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(QLabel("Cases (Enter opens)"))
        sl.addWidget(self.cases, 1)
        sl.addWidget(QLabel("Links of this cluster"))
        sl.addWidget(self.links, 2)
        sl.addWidget(judge_box)
        sl.addWidget(self.message)
        tools = QHBoxLayout()
        for b in (fit, self.whole, self.names, png, graphml):
            tools.addWidget(b)
        tools.addStretch(1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(tools)
        ll.addWidget(self.view, 1)
        ll.addWidget(self.legend)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self.setFocusProxy(self.view)
        self.items: dict = {}
        self.link_edges: list = []
        self._loaded = False

    def showEvent(self, event):  # noqa: N802
        # Drawn (and the consultation recorded) when first looked at, not whenever a case opens.
        if not self._loaded:
            self._loaded = True
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        s = self.holder.session
        if s is None:
            return
        row = s.one("SELECT id FROM cases WHERE ref = ?", (self.ref,))
        if row is None:
            return
        self.chart = self._people(s, cluster_for_case(s.conn, row[0]))
        s.record("read", "links.chart", case=self.ref,
                 detail={"justification": "link chart", "cases": self._count("case"),
                         "nodes": len(self.chart["nodes"])})
        self._draw()

    @staticmethod
    def _people(s, chart: dict) -> dict:
        """One node per person as the linker resolves them."""
        case_ids = [int(n["id"].split(":", 1)[1]) for n in chart["nodes"] if n["type"] == "case"]
        return merge_chart(chart, people(s.conn, case_ids))

    def _names_toggled(self, on: bool) -> None:
        s = self.holder.session
        if on and s is not None:
            s.record("read", "links.chart_victim_names", case=self.ref,
                     detail={"justification": "victims' names shown on the link chart"})
        self._draw()

    def _count(self, kind: str) -> int:
        return sum(1 for n in self.chart["nodes"] if n["type"] == kind)

    def _focal(self) -> str | None:
        return next((n["id"] for n in self.chart["nodes"] if n["type"] == "case" and n["label"] == self.ref), None)

    def _draw(self) -> None:
        self.scene.clear()
        nodes = {n["id"]: n for n in self.chart["nodes"]}
        focal = self._focal()
        keep = chart_layout.shown(self.chart, focal, self.whole.isChecked())
        pos = chart_layout.positions(self.chart, keep, focal, whole=self.whole.isChecked())
        self.items = {}
        for nid in sorted(keep):
            item = NodeItem(nodes[nid], self.names.isChecked())
            item.setPos(QPointF(*pos[nid]))
            self.scene.addItem(item)
            self.items[nid] = item
            if nid == focal:
                item.setPen(QPen(QColor("#000000"), 4.5))
        from triage_app.gui.material import annotate_chart
        annotate_chart(self.holder.session, self.items)    # intelligence grading in the tooltips
        self.link_edges = []
        for e in self.chart["edges"]:
            a, b = self.items.get(e["source"]), self.items.get(e["target"])
            if a is None or b is None:
                continue
            line = self.scene.addLine(a.pos().x(), a.pos().y(), b.pos().x(), b.pos().y(), _edge_pen(e))
            line.setZValue(0)
            if e["type"] == "link":
                line.setToolTip(link_label(e) + "\n" + "\n".join(_basis(e)))
                self.link_edges.append(e)
                if not self.whole.isChecked() and focal not in (e["source"], e["target"]):
                    continue   # focused: only the case's own links carry a label (the rest in tooltips)
                label = self.scene.addSimpleText(link_label(e))
                mid = (a.pos() + b.pos()) / 2
                label.setPos(mid.x() - label.boundingRect().width() / 2, mid.y() + 4)
                label.setZValue(1)
                bg = self.scene.addRect(label.sceneBoundingRect().adjusted(-2, -1, 2, 1), QPen(Qt.PenStyle.NoPen),
                                        QBrush(QColor(255, 255, 255, 220)))
                bg.setZValue(0.5)
        hidden = len(nodes) - len(keep)
        self.whole.setText("&Show the whole cluster (W)" + (f": {hidden} more" if hidden else ""))
        self.cases.clear()
        for n in sorted((n for n in nodes.values() if n["type"] == "case"), key=lambda n: n["label"]):
            self.cases.addItem(QListWidgetItem(n["label"]))
        self.links.clear()
        for e in self.link_edges:
            text = f"{nodes[e['source']]['label']} — {nodes[e['target']]['label']}\n    {link_label(e)}"
            item = QListWidgetItem(text)
            item.setToolTip("\n".join(_basis(e)))
            self.links.addItem(item)
        self._pick_link(self.links.currentRow())
        # Legible first: the case and the cases linked to it fill the view, never drawn smaller than
        # 0.85 of the default size nor larger than it; the rest is a scroll or a zoom away.
        inner = [i for k, i in self.items.items() if i.node["type"] == "case"]
        rect = QRectF()
        for i in inner or list(self.items.values()):
            rect = rect.united(i.sceneBoundingRect())
        self.view.resetTransform()
        if not rect.isEmpty():
            self.view.fitInView(rect.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)
        scale = min(1.0, max(0.85, self.view.transform().m11()))
        self.view.resetTransform()
        self.view.scale(scale, scale)
        if focal in self.items:
            self.view.centerOn(self.items[focal])

    def _pick_link(self, row: int) -> None:
        ok = 0 <= row < len(self.link_edges) and self.holder.session is not None and self.holder.session.can("review")
        for w in (self.confirm, self.reject, self.reason):
            w.setEnabled(ok)

    def _refs(self, edge: dict) -> tuple[str, str]:
        nodes = {n["id"]: n for n in self.chart["nodes"]}
        return nodes[edge["source"]]["label"], nodes[edge["target"]]["label"]

    def judge(self, verb: str) -> None:
        s = self.holder.session
        row = self.links.currentRow()
        if s is None or not 0 <= row < len(self.link_edges):
            return
        a, b = self._refs(self.link_edges[row])
        try:
            judge(s, a, b, verb, self.reason.text())
        except TriageError as e:
            self.message.setText(e.message)
            self.reason.setFocus()
            return
        self.reason.clear()
        self.message.setText(f"Link {a} — {b} {'confirmed' if verb == 'confirm' else 'rejected'}.")
        self.chart = self._people(s, cluster_for_case(s.conn, s.one("SELECT id FROM cases WHERE ref = ?",
                                                                    (self.ref,))[0]))
        self._draw()

    def _open_node(self, node: dict) -> None:
        if node["type"] == "case":
            self.open_case.emit(node["label"])

    # --- exports ----------------------------------------------------------------------------
    def export_dialog(self, fmt: str) -> None:
        choice = export_identity.ask("the link chart", self)
        if choice is None:
            return
        suffix = {"png": "PNG image (*.png)", "graphml": "GraphML (*.graphml)"}[fmt]
        name, _ = QFileDialog.getSaveFileName(self, "Export the link chart", "", suffix)
        if name:
            self.export(fmt, name, *choice)

    def export(self, fmt: str, path, identity: str = "initials", justification: str | None = None) -> bool:
        s = self.holder.session
        if s is None:
            return False
        path = Path(path)
        try:
            if fmt == "png":
                link_exports.check_choice(identity, justification)
                shown = link_exports.chart_for_export(s.conn, self.ref, identity)
                link_exports.export_png(s, self.ref, path, self.png_bytes(shown), identity, justification,
                                        nodes=len(shown["nodes"]))
            else:
                link_exports.export_graphml(s, self.ref, path, identity, justification)
        except TriageError as e:
            self.message.setText(e.message)
            return False
        self.message.setText(f"Chart exported as {path.name}.")
        return True

    def png_bytes(self, chart: dict | None = None) -> bytes:
        """The scene as a PNG. With `chart` (from `link_exports.chart_for_export`, already minimised)
        that chart is drawn for it, its labels as they are, and the screen is put back after."""
        if chart is None or chart is self.chart:
            return self._render_png()
        shown, named, transform = self.chart, self.names.isChecked(), self.view.transform()
        row, centre = self.links.currentRow(), self.view.mapToScene(self.view.viewport().rect().center())
        self.names.blockSignals(True)       # not the reviewer's audited choice: the labels are minimised already
        try:
            self.chart = chart
            self.names.setChecked(True)
            self._draw()
            return self._render_png()
        finally:
            self.chart = shown
            self.names.setChecked(named)
            self.names.blockSignals(False)
            self._draw()
            self.view.setTransform(transform)
            self.view.centerOn(centre)
            self.links.setCurrentRow(row)

    def _render_png(self) -> bytes:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        rect = self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        image = QImage(max(1, int(rect.width())), max(1, int(rect.height())), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene.render(painter, QRectF(image.rect()), rect)
        painter.end()
        buf = QByteArray()
        device = QBuffer(buf)
        device.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(device, "PNG"):
            raise BadInput("The chart could not be drawn as a PNG image.")
        return bytes(buf.data())

