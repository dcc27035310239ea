"""The timeline drawn with QPainter: a lane per case (or per suspect), each event a mark at its date.

Marks differ by shape, not colour alone, so the picture reads in greyscale: offence ◆, report ●,
NFA decision ■, date from the text ○, added by a reviewer ▲, review step ▮. Bursts (offences on
several cases at one place within weeks) are shaded behind their lanes; gaps (a year or more with
nothing recorded) are hatched across all lanes. Lanes of suggested links have a dashed edge.

Keys: Left/Right previous/next event, Up/Down the nearest event in the lane above/below, Home/End
first/last, + / − zoom around the selected event, F (or 0) fits, Shift+Left/Right pans, Enter opens
the selected event's case. Wheel zooms around the pointer; dragging pans; a click selects.
A lane label too long for its column is cut with "…"; pointing at it shows it whole.
"""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip, QWidget

LABEL_W = 200
AXIS_H = 34
LANE_H = 30
MARK = 6.0
INK = QColor("#1a1a1a")
SHAPES = {"offence": "diamond", "report": "circle", "nfa": "square", "text": "ring", "added": "triangle"}
SHAPE_WORDS = "◆ offence   ● reported   ■ NFA decision   ○ date from the text   ▲ added by a reviewer   ▮ review step"


def _ord(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def mark_path(kind: str, x: float, y: float, r: float = MARK) -> QPainterPath:
    p = QPainterPath()
    shape = SHAPES.get(kind, "bar")
    if shape == "diamond":
        p.addPolygon(QPolygonF([QPointF(x, y - r - 1), QPointF(x + r + 1, y), QPointF(x, y + r + 1),
                                QPointF(x - r - 1, y), QPointF(x, y - r - 1)]))
    elif shape in ("circle", "ring"):
        p.addEllipse(QPointF(x, y), r, r)
    elif shape == "square":
        p.addRect(QRectF(x - r + 1, y - r + 1, 2 * r - 2, 2 * r - 2))
    elif shape == "triangle":
        p.addPolygon(QPolygonF([QPointF(x, y - r - 1), QPointF(x + r, y + r - 1), QPointF(x - r, y + r - 1),
                                QPointF(x, y - r - 1)]))
    else:
        p.addRect(QRectF(x - 2, y - r, 4, 2 * r))
    return p


def ticks(t0: float, t1: float, width: float) -> list[tuple[float, str, bool]]:
    """(ordinal, label, major) for the axis: years, quarters, months or weeks as room allows."""
    per_day = width / max(t1 - t0, 1.0)
    d0, d1 = date.fromordinal(max(1, int(t0))), date.fromordinal(max(1, int(t1) + 1))
    out = []
    if per_day * 365 < 60:          # years, labelled every few years when crowded
        every = 1 if per_day * 365 >= 32 else 2 if per_day * 365 >= 16 else 5
        for y in range(d0.year, d1.year + 1):
            if y % every == 0:
                out.append((date(y, 1, 1).toordinal(), str(y), True))
        return out
    months = 3 if per_day * 30 < 25 else 1
    y, m = d0.year, d0.month
    while date(y, m, 1) <= d1:
        if (m - 1) % months == 0:
            out.append((date(y, m, 1).toordinal(), str(y) if m == 1 else date(y, m, 1).strftime("%b"), m == 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if per_day * 7 > 40:            # weeks too when zoomed right in
        d = d0 - timedelta(days=d0.weekday())
        while d <= d1:
            if d.day != 1:
                out.append((d.toordinal(), d.strftime("%d"), False))
            d += timedelta(days=7)
    return out


class TimelineCanvas(QWidget):
    selected = Signal(int)          # index into `events`
    open_case = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("timelineCanvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(480, 200)
        self.setAccessibleName("Chronology timeline")
        self.clear()

    # --- data -------------------------------------------------------------------------------
    def clear(self) -> None:
        self.chron = None
        self.events: list = []
        self.lanes: list[tuple[str, str]] = []
        self.lane_of: list[list[int]] = []      # per event: lane indexes
        self.visible: set[int] | None = None    # None: every event
        self.current = -1
        self.t0, self.t1 = 0.0, 1.0
        self.top = 0.0                          # vertical scroll, in pixels
        self._drag = None
        self.update()

    def set_chronology(self, chron, by: str = "case") -> None:
        self.chron = chron
        self.events = list(chron.events) if chron else []
        self.set_lanes(by)
        self.current = 0 if self.events else -1
        self.fit()

    def set_lanes(self, by: str) -> None:
        if self.chron is None:
            return
        self.by = by
        self.lanes = self.chron.lanes(by)
        index = {k: i for i, (k, _) in enumerate(self.lanes)}
        self.lane_of = [[index[k] for k in self.chron.lane_keys(e, by)] for e in self.events]
        self.link_of = {m.ref: m for m in self.chron.members}
        self.top = 0.0
        self.update()

    def set_visible(self, indexes) -> None:
        self.visible = None if indexes is None else set(indexes)
        if self.visible is not None and self.current not in self.visible:
            order = self._order()
            self.current = order[0] if order else -1
        self.update()

    def _order(self) -> list[int]:
        return [i for i in range(len(self.events)) if self.visible is None or i in self.visible]

    # --- geometry ---------------------------------------------------------------------------
    def plot_width(self) -> float:
        return max(1.0, self.width() - LABEL_W - 16)

    def x_of(self, ordinal: float) -> float:
        return LABEL_W + 8 + (ordinal - self.t0) / max(self.t1 - self.t0, 1e-6) * self.plot_width()

    def ordinal_at(self, x: float) -> float:
        return self.t0 + (x - LABEL_W - 8) / self.plot_width() * (self.t1 - self.t0)

    def y_of(self, lane: int) -> float:
        return AXIS_H + lane * LANE_H + LANE_H / 2 - self.top

    def fit(self) -> None:
        if not self.events:
            self.t0, self.t1 = 0.0, 1.0
        else:
            a, b = _ord(self.events[0].date), _ord(self.events[-1].date)
            pad = max(15.0, (b - a) * 0.03)
            self.t0, self.t1 = a - pad, b + pad
        self.top = 0.0
        self.update()

    def zoom(self, factor: float, around: float | None = None) -> None:
        if around is None:
            around = (_ord(self.events[self.current].date) if 0 <= self.current < len(self.events)
                      else (self.t0 + self.t1) / 2)
        span = min(max((self.t1 - self.t0) / factor, 7.0), 366.0 * 80)
        left = (around - self.t0) / max(self.t1 - self.t0, 1e-6)
        self.t0 = around - span * left
        self.t1 = self.t0 + span
        self.update()

    def pan(self, fraction: float) -> None:
        shift = (self.t1 - self.t0) * fraction
        self.t0 += shift
        self.t1 += shift
        self.update()

    def _scroll_lanes(self, dy: float) -> None:
        room = self.height() - AXIS_H - 22
        most = max(0.0, len(self.lanes) * LANE_H - room)
        self.top = min(max(self.top + dy, 0.0), most)
        self.update()

    # --- selection --------------------------------------------------------------------------
    def select(self, index: int, emit: bool = True) -> None:
        if not (0 <= index < len(self.events)):
            return
        self.current = index
        self._keep_in_view(index)
        self.update()
        if emit:
            self.selected.emit(index)

    def _keep_in_view(self, index: int) -> None:
        t = _ord(self.events[index].date)
        span = self.t1 - self.t0
        if not (self.t0 + span * 0.03 <= t <= self.t1 - span * 0.03):
            self.t0 = t - span / 2
            self.t1 = t + span / 2
        lane = self.lane_of[index][0]
        y = AXIS_H + lane * LANE_H
        room = self.height() - AXIS_H - 22
        if y - AXIS_H < self.top:
            self.top = float(lane * LANE_H)
        elif y - AXIS_H + LANE_H > self.top + room:
            self.top = float(lane * LANE_H + LANE_H - room)

    def _step(self, delta: int) -> None:
        order = self._order()
        if not order:
            return
        pos = order.index(self.current) if self.current in order else -1
        self.select(order[min(max(pos + delta, 0), len(order) - 1)])

    def _lane_step(self, delta: int) -> None:
        if self.current < 0:
            return
        lane = self.lane_of[self.current][0] + delta
        t = _ord(self.events[self.current].date)
        while 0 <= lane < len(self.lanes):
            here = [i for i in self._order() if lane in self.lane_of[i]]
            if here:
                self.select(min(here, key=lambda i: (abs(_ord(self.events[i].date) - t), i)))
                return
            lane += delta

    def keyPressEvent(self, event):  # noqa: N802
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            sign = -1 if key == Qt.Key.Key_Left else 1
            self.pan(0.2 * sign) if shift else self._step(sign)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._lane_step(-1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_Home:
            self._step(-len(self.events))
        elif key == Qt.Key.Key_End:
            self._step(len(self.events))
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.5)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(1 / 1.5)
        elif key in (Qt.Key.Key_F, Qt.Key.Key_0):
            self.fit()
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self._scroll_lanes((-1 if key == Qt.Key.Key_PageUp else 1) * (self.height() - AXIS_H) * 0.8)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and 0 <= self.current < len(self.events):
            self.open_case.emit(self.events[self.current].case)
        else:
            super().keyPressEvent(event)

    # --- mouse ------------------------------------------------------------------------------
    def event_at(self, pos) -> int:
        best, best_d = -1, 10.0 ** 2
        for i in self._order():
            x = self.x_of(_ord(self.events[i].date))
            for lane in self.lane_of[i]:
                d = (x - pos.x()) ** 2 + (self.y_of(lane) - pos.y()) ** 2
                if d < best_d:
                    best, best_d = i, d
        return best

    def wheelEvent(self, event):  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._scroll_lanes(-event.angleDelta().y() / 2)
        else:
            self.zoom(1.25 if event.angleDelta().y() > 0 else 0.8, self.ordinal_at(event.position().x()))

    def mousePressEvent(self, event):  # noqa: N802
        self.setFocus()
        hit = self.event_at(event.position())
        if hit >= 0:
            self.select(hit)
        self._drag = (event.position(), self.t0, self.t1, self.top)

    def mouseMoveEvent(self, event):  # noqa: N802
        if self._drag and event.buttons() & Qt.MouseButton.LeftButton:
            start, t0, t1, top = self._drag
            dx = event.position().x() - start.x()
            shift = -dx / self.plot_width() * (t1 - t0)
            self.t0, self.t1 = t0 + shift, t1 + shift
            self.top = top
            self._scroll_lanes(start.y() - event.position().y())
            return
        label = self.lane_tooltip(event.position())    # the label column: its lane's whole label
        if label is not None:
            QToolTip.showText(event.globalPosition().toPoint(), label, self)
            return
        hit = self.event_at(event.position())
        if hit >= 0:
            e = self.events[hit]
            QToolTip.showText(event.globalPosition().toPoint(), f"{e.date}  {e.case}\n{e.text}\nSource: {e.source}", self)

    def mouseReleaseEvent(self, event):  # noqa: N802
        self._drag = None

    def mouseDoubleClickEvent(self, event):  # noqa: N802
        hit = self.event_at(event.position())
        if hit >= 0:
            self.open_case.emit(self.events[hit].case)

    # --- lane labels ------------------------------------------------------------------------
    def lane_text(self, i: int) -> tuple[str, bool]:
        """Lane `i`'s whole label, as minimised as the chronology gives it (a victim by initials),
        with its link to the case asked for; and whether it is drawn bold (the case asked for)."""
        key, label = self.lanes[i]
        member = self.link_of.get(key) if self.by == "case" else None
        if member is not None and member.link:
            return f"{label}  ({member.link}{'' if member.probability is None else f' {member.probability:.2f}'})", False
        if member is not None:
            return f"{label}  (this case)", True
        return label, False

    @staticmethod
    def lane_shown(text: str, font: QFont) -> str:
        """The label as it fits the label column: cut with "…" (measured in the font it is drawn in)."""
        return QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, LABEL_W - 12)

    def lane_at(self, pos) -> int:
        """The lane whose label is under `pos` (widget coordinates), or -1."""
        if not 0 <= pos.x() < LABEL_W or pos.y() < AXIS_H:
            return -1
        i = int((pos.y() - AXIS_H + self.top) // LANE_H)
        return i if 0 <= i < len(self.lanes) else -1

    def lane_tooltip(self, pos) -> str | None:
        """The whole label of the lane under `pos`: what the column cuts short."""
        i = self.lane_at(pos)
        return None if i < 0 else self.lane_text(i)[0]

    # --- painting ---------------------------------------------------------------------------
    def paintEvent(self, _event):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        if not self.events:
            p.setPen(INK)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No dated events to show.")
            p.end()
            return
        self.paint_on(p, self.width(), self.height())
        if self.hasFocus():
            p.setPen(QPen(QColor("#1f5fbf"), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(self.rect().adjusted(1, 1, -2, -2))
        p.end()

    def paint_on(self, p: QPainter, width: int, height: int) -> None:
        """Everything but the background and focus ring (also used by the benchmark)."""
        font = QFont(self.font())
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        fm = QFontMetrics(small)
        plot_right = width - 8
        first_lane = max(0, int(self.top // LANE_H))
        last_lane = min(len(self.lanes), int((self.top + height - AXIS_H) // LANE_H) + 1)
        # Lanes: alternate shading, a dashed top edge for a suggested link's case.
        for i in range(first_lane, last_lane):
            y = AXIS_H + i * LANE_H - self.top
            if i % 2:
                p.fillRect(QRectF(0, y, width, LANE_H), QColor("#f3f3f3"))
        self._paint_patterns(p, height)
        self._paint_axis(p, width, height, small)
        p.setClipRect(QRectF(0, AXIS_H, width, height - AXIS_H))
        for i in range(first_lane, last_lane):
            key, _ = self.lanes[i]
            y = AXIS_H + i * LANE_H - self.top
            member = self.link_of.get(key) if self.by == "case" else None
            text, bold = self.lane_text(i)
            lane_font = QFont(small)
            lane_font.setBold(bold)
            p.setFont(lane_font)
            p.setPen(INK)
            p.drawText(QRectF(6, y, LABEL_W - 10, LANE_H), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       self.lane_shown(text, lane_font))
            pen = QPen(QColor("#9a9a9a"), 1, Qt.PenStyle.DashLine if member is not None and member.link == "suggested"
                       else Qt.PenStyle.SolidLine)
            p.setPen(pen)
            p.drawLine(QPointF(LABEL_W, y + LANE_H / 2), QPointF(plot_right, y + LANE_H / 2))
        p.setPen(QPen(QColor("#555555"), 1))
        p.drawLine(QPointF(LABEL_W, AXIS_H), QPointF(LABEL_W, height))
        # Marks, then the selected one on top with its date.
        p.setClipRect(QRectF(LABEL_W + 1, AXIS_H, width - LABEL_W, height - AXIS_H))
        p.setFont(small)
        ink_pen = QPen(INK, 1.2)
        fill = QBrush(INK)
        hollow = QBrush(QColor("#ffffff"))
        labelled_until: dict[int, float] = {}
        per_day = self.plot_width() / max(self.t1 - self.t0, 1e-6)
        for i in self._order():
            e = self.events[i]
            x = self.x_of(_ord(e.date))
            if x < LABEL_W - MARK or x > width + MARK:
                continue
            for lane in self.lane_of[i]:
                if not first_lane <= lane < last_lane:
                    continue
                y = self.y_of(lane)
                p.setPen(ink_pen)
                p.setBrush(hollow if e.kind == "text" else fill)
                p.drawPath(mark_path(e.kind, x, y))
                if per_day > 0.6 and x > labelled_until.get(lane, -1e9):   # dates when there is room
                    label = e.date[8:10] + "/" + e.date[5:7] + "/" + e.date[2:4]
                    p.setPen(QColor("#333333"))
                    p.drawText(QPointF(x + MARK + 3, y - 4), label)
                    labelled_until[lane] = x + MARK + 6 + fm.horizontalAdvance(label)
        if 0 <= self.current < len(self.events) and (self.visible is None or self.current in self.visible):
            e = self.events[self.current]
            x = self.x_of(_ord(e.date))
            for n, lane in enumerate(self.lane_of[self.current]):
                y = self.y_of(lane)
                p.setPen(QPen(QColor("#1f5fbf"), 2.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawEllipse(QPointF(x, y), MARK + 5, MARK + 5)
                if n:
                    continue    # one label, by the first of its lanes
                label = f"{e.date}  {e.text}"
                label = fm.elidedText(label, Qt.TextElideMode.ElideRight, 360)
                w = fm.horizontalAdvance(label) + 8
                lx = min(max(x - w / 2, LABEL_W + 2), width - w - 2)
                ly = y + MARK + 7 if y + MARK + 7 + fm.height() < height else y - MARK - 7 - fm.height()
                p.setPen(QPen(QColor("#1f5fbf"), 1))
                p.setBrush(QColor(255, 255, 255, 235))
                p.drawRect(QRectF(lx, ly, w, fm.height() + 2))
                p.setPen(INK)
                p.drawText(QRectF(lx + 4, ly + 1, w - 8, fm.height()), Qt.AlignmentFlag.AlignLeft, label)
        p.setClipping(False)

    def _paint_axis(self, p: QPainter, width: int, height: int, font: QFont) -> None:
        p.fillRect(QRectF(0, 0, width, AXIS_H), QColor("#ffffff"))
        p.setFont(font)
        p.setPen(INK)
        p.drawText(QRectF(6, 0, LABEL_W - 10, AXIS_H), Qt.AlignmentFlag.AlignVCenter,
                   "Lane per case" if getattr(self, "by", "case") == "case" else "Lane per suspect")
        for ordinal, label, major in ticks(self.t0, self.t1, self.plot_width()):
            x = self.x_of(ordinal)
            if x < LABEL_W or x > width - 4:
                continue
            p.setPen(QPen(QColor("#c8c8c8") if not major else QColor("#9a9a9a"), 1))
            p.drawLine(QPointF(x, AXIS_H - 6), QPointF(x, height))
            p.setPen(INK)
            p.drawText(QPointF(x + 3, AXIS_H - 10), label)
        p.setPen(QPen(QColor("#555555"), 1))
        p.drawLine(QPointF(LABEL_W, AXIS_H), QPointF(width, AXIS_H))

    def _paint_patterns(self, p: QPainter, height: int) -> None:
        if self.chron is None:
            return
        index = {e.id: i for i, e in enumerate(self.events)}
        p.save()
        p.setClipRect(QRectF(LABEL_W + 1, AXIS_H, self.width() - LABEL_W, height - AXIS_H))
        for g in self.chron.gaps:
            x0, x1 = self.x_of(_ord(g.start) + 1), self.x_of(_ord(g.end) - 1)
            if x1 - x0 < 4:
                continue
            p.fillRect(QRectF(x0, AXIS_H, x1 - x0, height - AXIS_H), QBrush(QColor("#bdbdbd"), Qt.BrushStyle.BDiagPattern))
            p.setPen(QColor("#444444"))
            years = g.days / 365.25
            p.drawText(QRectF(x0, AXIS_H + 2, x1 - x0, 16), Qt.AlignmentFlag.AlignCenter,
                       f"nothing recorded for {years:.1f} years" if x1 - x0 > 150 else f"{years:.1f} y")
        for b in self.chron.bursts:
            lanes = sorted({lane for eid in b.events if eid in index for lane in self.lane_of[index[eid]]})
            if not lanes:
                continue
            x0, x1 = self.x_of(_ord(b.start)) - MARK - 4, self.x_of(_ord(b.end)) + MARK + 4
            y0, y1 = self.y_of(lanes[0]) - LANE_H / 2 + 2, self.y_of(lanes[-1]) + LANE_H / 2 - 2
            p.setPen(QPen(QColor("#7a4f00"), 1.5, Qt.PenStyle.DashLine))
            p.setBrush(QColor(255, 196, 0, 70))
            p.drawRoundedRect(QRectF(x0, y0, max(x1 - x0, 14), y1 - y0), 5, 5)
        p.restore()
