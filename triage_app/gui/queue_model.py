"""The triage queue model: holds the ids of matching cases and reads their rows a page at a time.

Qt's canFetchMore/fetchMore pattern pulls more ids as the reviewer scrolls; a row's columns are read
in blocks the first time the view paints it. Sorting and filtering rebuild the query, never sort
in Python, so 100,000 cases cost the same as 100.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal

from triage_app.gui import queue_query as q
from triage_app.gui import words
from triage_app.gui.queue_ahead import Ahead

ID_PAGE = 500
ROW_BLOCK = 50              # rows read at a time: a screen's worth (each is a page of the table read and decrypted)
NEAR = 2 * ID_PAGE          # after End: a row this close to a row read is read on from it, further by its position
# The connection's page cache while the queue reads it (KiB, as PRAGMA cache_size takes it when
# negative): SQLite's default 2 MB holds less than one sort's index at 100,000 cases, so every
# change read and decrypted the same index and table pages again. Freed when the vault locks.
CACHE_KIB = 64 * 1024
# The exact count is asked for once typing pauses, not on every keystroke: a broad search can
# match most of the vault, and counting that is the slowest question the queue asks.
COUNT_PAUSE_MS = 350
# After that pause, or at once when End leaves rows unread, the whole queue's ids are read ahead on a
# worker thread on a connection of its own (queue_ahead.py), so the scroll bar dragged far from any row
# read finds them in memory: read by their place (LIMIT/OFFSET) on this thread, the middle of a
# 52,000-case search walked 26,000 index entries (25-36 ms CPU at 100k, twice that in wall time on a
# loaded machine). Read here a chunk per turn of the event loop they were not there yet for a reviewer
# paging at once, and each chunk (2-12 ms under load) held up whatever the reviewer did next. Not at
# every reload: a reviewer changing filters in a row would have a read started and given up each time
# beside the GUI thread (the changes' median 11 -> 18 ms wall on a loaded machine). Only ids, in this
# process's memory, dropped on any reload or lock. False: none (tests of the reads on this thread).
READ_AHEAD = True
REF_ROLE = Qt.ItemDataRole.UserRole + 1
_ROLES = {Qt.ItemDataRole.DisplayRole, REF_ROLE, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole}
_KEYS = [c.key for c in q.COLUMNS]
_NUMERIC = {_KEYS.index("priority"), _KEYS.index("victim_age")}
_OFFENCE, _OUTCOME, _ELIGIBILITY = _KEYS.index("offence"), _KEYS.index("outcome"), _KEYS.index("eligibility")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class QueueModel(QAbstractTableModel):
    total_changed = Signal(int)   # -1: more than a page, exact count to follow

    def __init__(self, holder, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.filter = q.QueueFilter()
        self.sort_column = "priority"
        self.descending: bool | None = None
        # The ids read, in queue order, one per row. After End, the rows between the pages read from
        # the top and the last page hold None (`_gaps`: each stretch [first, end) of them) until asked for.
        self._ids: list[int | None] = []
        self._gaps: list[list[int]] = []
        self._rows: dict[int, tuple] = {}
        self._shown_rows: dict[int, tuple] = {}
        self._exhausted = True
        self.total = 0
        self._shown_query: tuple | None = None   # the query whose answer the model holds
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_PAUSE_MS)
        self._count_timer.timeout.connect(self._paused)
        # The read ahead asked for: its ticket is the query and the stamp the ids answer to.
        self._ahead_ticket: tuple | None = None
        self._reader = Ahead(holder, self)
        self._reader.progressed.connect(self._ahead_moved)

    # --- loading ----------------------------------------------------------------------------
    @property
    def conn(self):
        # None while an import's worker thread owns the connection: the queue then shows what it
        # already holds and reads nothing until the work ends.
        s = self.holder.session
        return s.conn if s is not None and not self.holder.busy else None

    def set_filter(self, f: q.QueueFilter, *, refresh: bool = True) -> None:
        """`refresh=False` (a filter changed by the reviewer): when the new filter asks the same SQL
        as the one shown (e.g. one or two letters typed, which narrow nothing), the queue stays as it
        is, cursor and all, rather than being read and painted again."""
        same = self._shown_query is not None and self._shown_query == self._query(f)
        self.filter = f
        if refresh or not same:
            self.reload()

    def _query(self, f: q.QueueFilter) -> tuple:
        return (q.where(f, in_order=True), q.fts_query((f.text or "").strip()), self.sort_column, self.descending)

    def reload(self) -> None:
        self.beginResetModel()
        self._ids, self._rows, self._shown_rows, self._gaps = [], {}, {}, []
        self._drop_ahead()
        conn = self.conn
        self._shown_query = None if conn is None else self._query(self.filter)
        if conn is None:
            self._exhausted, self.total = True, 0
        else:
            if conn.execute("PRAGMA cache_size").fetchone()[0] != -CACHE_KIB:
                conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self._ids = q.page_of_ids(conn, self.filter, self.sort_column, self.descending, None, ID_PAGE)
            self._exhausted = len(self._ids) < ID_PAGE
            self.total = len(self._ids) if self._exhausted else -1
        self.endResetModel()
        self.total_changed.emit(self.total)
        if self.total == -1:
            self._count_timer.start()
        else:
            self._count_timer.stop()

    def _paused(self) -> None:
        # The exact count comes with the ids read ahead (their number), off this thread; counted here,
        # a crime-ref search ('CR/2015/0') held the GUI thread 75-128 ms at 100k (bench/gui_queue.py).
        if not self._ask_ahead():
            self.count_now()

    # --- reading ahead: the whole queue's ids, on a worker thread ---------------------------------
    def _drop_ahead(self) -> None:
        self._reader.cancel()
        self._ahead_ticket = None

    @staticmethod
    def _stamp(conn) -> tuple:
        """What the ids read ahead answer to: the file's data version (another connection's write) and
        this connection's change count (its own writes, which also reload the queue)."""
        return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes

    def _ask_ahead(self) -> bool:
        """Have the queue's every id read ahead, unless asked for already or none is left to read.
        True while a read ahead is asked for."""
        conn = self.conn
        if self._ahead_ticket is not None:
            return True
        if not READ_AHEAD or conn is None or (self._exhausted and not self._gaps):
            return False
        self._ahead_ticket = (self._shown_query, self._stamp(conn))
        if not self._reader.ask(self._ahead_ticket, self.filter, self.sort_column, self.descending):
            self._ahead_ticket = None
        return self._ahead_ticket is not None

    def _read_ahead(self) -> tuple[list[int], bool] | None:
        """(the ids read ahead so far, from the top of the queue; whether that is every one), or None
        if none are, or another connection or this one wrote since they were asked for. The list
        grows as the worker reads on: take its length once, then slices below it."""
        conn = self.conn
        if conn is None or self._ahead_ticket is None:
            return None
        got = self._reader.ids(self._ahead_ticket)
        if got is None or self._stamp(conn) != self._ahead_ticket[1]:
            return None
        return got

    def _whole(self) -> list[int] | None:
        """Every id of the queue in order, if read ahead and nothing was written since."""
        got = self._read_ahead()
        return got[0] if got is not None and got[1] else None

    def _ahead_moved(self) -> None:
        whole = self._whole()
        if whole is not None and self.total == -1:    # the exact count with no query of its own
            self._count_timer.stop()
            self.total = len(whole)
            self.total_changed.emit(self.total)

    def read_ahead_now(self) -> int:
        """Wait for every id to be read ahead (the benchmark's pause; tests); the number held."""
        self._ask_ahead()
        if self._ahead_ticket is not None:
            self._reader.wait(self._ahead_ticket)
        self._ahead_moved()
        return len(self._whole() or [])

    def count_now(self) -> int:
        """The exact number of matching cases (normally asked for after a pause in typing)."""
        self._count_timer.stop()
        if self.total == -1 and self.conn is not None:
            self.total = q.count(self.conn, self.filter)
            self.total_changed.emit(self.total)
        return self.total

    def clear(self) -> None:
        """On lock: drop every row held in memory."""
        self.beginResetModel()
        self._ids, self._rows, self._shown_rows, self._exhausted, self.total = [], {}, {}, True, 0
        self._gaps, self._shown_query = [], None
        self._count_timer.stop()
        self._drop_ahead()
        self._reader.close()      # its connection too
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()):  # noqa: N802
        return not parent.isValid() and not self._exhausted and self.conn is not None

    def fetchMore(self, parent=QModelIndex()):  # noqa: N802
        if not self.canFetchMore(parent):
            return
        self.read_on(1)

    def can_read_on(self) -> bool:
        return self.canFetchMore() or (bool(self._gaps) and self.conn is not None)

    def read_on(self, pages: int) -> None:
        """Read the next `pages` pages of ids in one query (after End: on into the rows not yet read)."""
        if self._gaps and self.conn is not None:
            self._fill_forward(self._gaps[0], pages * ID_PAGE)
            return
        if not self.canFetchMore():
            return
        limit = pages * ID_PAGE
        more = q.page_of_ids(self.conn, self.filter, self.sort_column, self.descending, self._last(), limit)
        self._exhausted = len(more) < limit
        if more:
            self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(more) - 1)
            self._ids.extend(more)
            self.endInsertRows()

    def read_from_top(self) -> int:
        """How many rows are read without a break from the first."""
        return self._gaps[0][0] if self._gaps else len(self._ids)

    def _last(self) -> int | None:
        """The last case read from the top: the next page starts after it."""
        end = self.read_from_top()
        return self._ids[end - 1] if end else None

    # --- End: the last page first, the rows above it when asked for ---------------------------
    def to_end(self) -> int:
        """The row of the last case in the queue. If it is not read yet, the exact count and the last
        page (read from the bottom up) are enough: the rows between come when shown or asked for.
        Reading every page down to it cost one walk per page (259 presses of End to reach the bottom
        at 100,000 cases)."""
        whole = self._whole() if self.canFetchMore() else None
        if whole is not None and whole[:len(self._ids)] == self._ids:
            self.beginInsertRows(QModelIndex(), len(self._ids), len(whole) - 1)
            self._ids.extend(whole[len(self._ids):])
            self._exhausted = True
            self.endInsertRows()
            if self.total != len(whole):
                self.total = len(whole)
                self.total_changed.emit(self.total)
        elif self.canFetchMore():
            conn = self.conn
            total = self.count_now()
            last = q.page_of_ids(conn, self.filter, self.sort_column, self.descending, None, ID_PAGE, backwards=True)
            last.reverse()
            head = len(self._ids)
            if total <= head + len(last) or total <= head:
                self.read_on(-(-(total - head) // ID_PAGE) + 1)    # the rest is no more than a page
            else:
                gap = total - head - len(last)
                self.beginInsertRows(QModelIndex(), head, total - 1)
                self._ids.extend([None] * gap)
                self._ids.extend(last)
                self._gaps = [[head, head + gap]]
                self._exhausted = True
                self.endInsertRows()
                # The reviewer is paging deep: the rows between are read ahead, if not asked for yet.
                self._ask_ahead()
        return len(self._ids) - 1

    # Every stretch of rows not read yet (`_gaps`) has a row read on each side. Its top is taken from
    # the ids read ahead as far as they go. A row within `NEAR` of a row read is read on from that case
    # (its place in the sort's index); a row further in is read by its position, counted from the
    # nearer row read, a page around it: after End at 100,000 cases, the middle of the queue cost every
    # id from one side to there (~25,000–50,000 ids, ~65 ms).
    # Wherever two reads meet, the case each expects next to it must be the one there (the rows read
    # by their place may be a case off if another connection wrote meanwhile: that is found there).
    def _gap_of(self, n: int) -> list[int] | None:
        return next((g for g in self._gaps if g[0] <= n < g[1]), None)

    def _fill(self, n: int) -> None:
        """Row n is in the rows not yet read: read it and the rows around it."""
        gap = self._gap_of(n)
        if gap is None:
            return
        self._from_ahead(gap)
        if self._gap_of(n) is not gap:      # read ahead already (or the queue is to be read again)
            return
        first, end = gap
        if n - first <= NEAR and n - first <= end - 1 - n:
            self._fill_forward(gap, n - first + ROW_BLOCK)
        elif end - 1 - n <= NEAR:
            self._fill_backward(gap, end - n + ROW_BLOCK)
        else:
            start = max(first, n - n % ROW_BLOCK - (ID_PAGE - ROW_BLOCK) // 2)
            self._fill_at(gap, start, min(end, start + ID_PAGE))

    def _from_ahead(self, gap: list[int]) -> bool:
        """Fill the top of the gap from the ids read ahead so far, with no query, where they reach it
        and agree with the row read above it (and, reaching its end, with the row below). True if any."""
        got = self._read_ahead()
        if got is None:
            return False
        ahead, whole = got
        first, end = gap
        known = len(ahead)     # read once: the worker may be adding to it
        if known <= first or ahead[first - 1] != self._ids[first - 1] or (whole and known != len(self._ids)):
            return False
        # Reaching the end of the gap, the id after it must be the row read below it (one more to check).
        stop = end if known > end else min(known, end - 1)
        if stop == end and ahead[end] != self._ids[end]:
            self._written_meanwhile()
            return False
        if stop <= first:
            return False
        self._ids[first:stop] = ahead[first:stop]
        gap[0] = stop
        if gap[0] >= gap[1]:
            self._gaps.remove(gap)
        self._maybe_whole()
        return True

    def _fill_forward(self, gap: list[int], limit: int) -> None:
        first, end = gap
        limit = max(1, min(limit, end - first))
        # One case more than the rows to fill: where they reach the next row read, it must be that case.
        more = q.page_of_ids(self.conn, self.filter, self.sort_column, self.descending, self._ids[first - 1],
                             limit + 1)
        self._put(gap, first, more, limit, end)

    def _fill_backward(self, gap: list[int], limit: int) -> None:
        first, end = gap
        limit = max(1, min(limit, end - first))
        more = q.page_of_ids(self.conn, self.filter, self.sort_column, self.descending, self._ids[end],
                             limit + 1, backwards=True)
        more.reverse()
        self._put(gap, end - limit, more[-limit - 1:], limit, first - 1, above=True)

    def _fill_at(self, gap: list[int], start: int, stop: int) -> None:
        """Rows [start, stop) of the gap, read by their place, counted from the nearer side of the gap
        (from the case read just above it, or just below it): only the rows between are walked."""
        first, end = gap
        if start - first <= end - stop:
            more = q.page_of_ids(self.conn, self.filter, self.sort_column, self.descending, self._ids[first - 1],
                                 stop - start, offset=start - first)
        else:
            more = q.page_of_ids(self.conn, self.filter, self.sort_column, self.descending, self._ids[end],
                                 stop - start, backwards=True, offset=end - stop)
            more.reverse()
        if len(more) < stop - start:
            self._written_meanwhile()
            return
        self._ids[start:stop] = more
        i = self._gaps.index(gap)
        self._gaps[i:i + 1] = [g for g in ([gap[0], start], [stop, gap[1]]) if g[0] < g[1]]

    def _put(self, gap: list[int], at: int, more: list[int], limit: int, beside: int, above: bool = False) -> None:
        """`limit` ids read into the gap from `at` (with, going down, one more after them; going up,
        one more before them); if they reach the row read beside the gap, that extra case must be it."""
        # (A gap always has a row read on each side, so the extra case is always there.)
        if len(more) < limit + 1:
            self._written_meanwhile()
            return
        extra = more[0] if above else more[-1]
        reaches = (at == gap[0]) if above else (at + limit == gap[1])
        if reaches and self._ids[beside] != extra:
            self._written_meanwhile()
            return
        ids = more[1:] if above else more[:limit]
        self._ids[at:at + limit] = ids
        if above:
            gap[1] = at
        else:
            gap[0] = at + limit
        if gap[0] >= gap[1]:
            self._gaps.remove(gap)
        self._maybe_whole()

    def _maybe_whole(self) -> None:
        if not self._gaps and len(set(self._ids)) != len(self._ids):
            self._written_meanwhile()    # a case read twice (belt and braces: each meeting was checked)

    def _written_meanwhile(self) -> None:
        """The queue is not as counted (another connection wrote to it meanwhile): read it again rather
        than show a case twice or out of its place. Nothing more is read until then."""
        self._gaps = []
        QTimer.singleShot(0, self.reload)

    def _id_at(self, n: int) -> int | None:
        case_id = self._ids[n]
        if case_id is None and self._gaps and self.conn is not None:
            self._fill(n)
            case_id = self._ids[n]
        return case_id

    def _row(self, n: int) -> tuple | None:
        case_id = self._id_at(n)
        if case_id is None:
            return None
        row = self._rows.get(case_id)
        if row is None and self.conn is not None:
            start = n - n % ROW_BLOCK
            self._rows.update(q.rows(self.conn, [i for i in self._ids[start:start + ROW_BLOCK] if i is not None]))
            row = self._rows.get(case_id)
        return row

    # --- the Qt model -----------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(q.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(q.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return q.COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return q.COLUMNS[section].tip or None
        return None

    @staticmethod
    def _shown(row: tuple) -> tuple:
        """The row as the columns show it, worked out once per row rather than once per paint."""
        (_id, priority, ref, code, description, age, nfa_date, outcome, beaconport, csarp, status,
         assigned) = row
        return (priority, ref, " ".join(x for x in (code, description) if x) or "—",
                "—" if age is None else age, words.day(nfa_date), outcome or "—", q.eligibility_text(beaconport, csarp),
                q.STATUS_WORDS.get(status, status) + (f" ({assigned})" if assigned else ""))

    def cell_text(self, n: int, column: int) -> str | None:
        """The text of one cell as shown (what `data()` gives for display), for the queue's painter."""
        if not 0 <= n < len(self._ids):
            return None
        row = self._row(n)
        if row is None:
            return None
        shown = self._shown_rows.get(row[0])
        if shown is None:
            shown = self._shown_rows[row[0]] = self._shown(row)
        value = shown[column]
        return value if isinstance(value, str) else str(value)

    @staticmethod
    def right_aligned(column: int) -> bool:
        return column in _NUMERIC

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid() or index.row() >= len(self._ids):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            shown = self._shown_rows.get(row[0])
            if shown is None:
                shown = self._shown_rows[row[0]] = self._shown(row)
            return shown[column]
        if role == REF_ROLE:
            return row[2]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in _NUMERIC else None
        # Tooltips: the whole offence description and free-text outcome, which the columns may cut.
        if column == _OFFENCE:
            return row[4] or None
        if column == _OUTCOME:
            return words.outcome(row[7]) or None
        if column == _ELIGIBILITY:
            return "\n".join((words.BEACONPORT, words.CSARP, words.UNKNOWN))
        return None

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        if not 0 <= column < len(q.COLUMNS):
            return
        key, descending = q.COLUMNS[column].key, order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_column, self.descending) and self._shown_query == self._query(self.filter):
            return   # asked again for the order shown (a sort from code sets the header, which sorts too)
        self.sort_column, self.descending = key, descending
        self.reload()

    def ref_at(self, row: int) -> str | None:
        if 0 <= row < len(self._ids):
            r = self._row(row)
            return r[2] if r else None
        return None

    def loaded_row_of(self, ref: str) -> tuple[int | None, bool]:
        """(row, further): the row of the case among the ids read so far, with no walk of the queue;
        if not among them, whether it may be further down (it passes the filter and more is to read)."""
        conn = self.conn
        if conn is None:
            return None, False
        found = conn.execute("SELECT id FROM cases WHERE ref = ?", (ref,)).fetchone()
        if found is None:
            return None, False
        case_id = found[0]
        if case_id in self._ids:
            return self._ids.index(case_id), False
        return None, self.can_read_on() and q.matches(conn, self.filter, case_id)

    def row_of(self, ref: str, max_pages: int = 20) -> int | None:
        """The row the case with this ref is on, reading further ids if need be (up to `max_pages`
        pages deep); None if it is not in the queue as filtered.

        A case outside the filter is told by one lookup of its own row, and one further read brings
        the ids down to it: reading page after page (each re-walking the queue from its start) cost
        seconds at 100,000 cases every time a filter left the chosen case out.
        """
        conn = self.conn
        if conn is None:
            return None
        found = conn.execute("SELECT id FROM cases WHERE ref = ?", (ref,)).fetchone()
        if found is None:
            return None
        case_id = found[0]
        if case_id in self._ids:
            return self._ids.index(case_id)
        if self._gaps:        # after End: the case may be in the rows not yet read
            if not q.matches(conn, self.filter, case_id):
                return None
            self._fill_forward(self._gaps[0], max_pages * ID_PAGE)
            return self._ids.index(case_id) if case_id in self._ids else None
        if not self.canFetchMore() or not q.matches(conn, self.filter, case_id):
            return None
        limit = max_pages * ID_PAGE - len(self._ids)
        if limit <= 0:
            return None
        more = q.page_of_ids(conn, self.filter, self.sort_column, self.descending, self._last(), limit)
        if case_id not in more:
            return None
        # Keep the ids up to the end of the page the case is on; the rest are read as the view scrolls.
        keep = (more.index(case_id) // ID_PAGE + 1) * ID_PAGE
        self._exhausted = len(more) < limit and keep >= len(more)
        more = more[:keep]
        self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(more) - 1)
        self._ids.extend(more)
        self.endInsertRows()
        return self._ids.index(case_id)

    def refs(self) -> list[str]:
        """The refs loaded so far, in queue order (tests and 'next case')."""
        return [self.ref_at(i) for i in range(len(self._ids))]
