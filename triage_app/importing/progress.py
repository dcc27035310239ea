"""Progress through an import's four phases (check, load, link, score), with an estimate of the
time left, and the one place that asks whether the user has cancelled.

`Tracker(steps, progress, cancel)` is driven by the importer: `begin(phase, total, unit)`, then
`advance(done)` as work is done, `end()`. Each report is a `Step` (phase, counts, seconds left) to
`steps(step)`, and the overall fraction as `progress(done, total)` in thousandths for callers that
only draw a bar. Every report also checks `cancel`: once it is true, `Cancelled` is raised and the
caller's transaction rolls back whole. While a long SQL statement runs, SQLite's progress handler
asks the same question, so cancel is heard inside a statement too.

The estimate: the phase under way from its own rate; the phases still to come from how long they
took, per row, relative to the check in `bench/import.py 100000` (`COST`), scaled by this run's
own check speed and the rows each phase will handle.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass

from triage_app.errors import TriageError

PHASES = ("check", "load", "link", "score")
WORDS = {"check": "Checking the files", "load": "Writing to the vault", "link": "Linking cases",
         "score": "Scoring the queue"}
# Seconds per row of each phase relative to the check's, from `importing.run` at 100,000 cases (load per
# case or nominal written, link per nominal added or changed, score per case touched), 2 Dec 2026:
# 349,682 rows / 249,682 nominals / 100,000 cases; CPU s check 34.1, load 14.6, link 131.4, score 32.1
# under load (h35, after the FTS fill and index-build changes) give load 0.43, link 5.4, score 3.3;
# the lead's quiet run of main 7451b63 (wall) gave link 5.1, score 3.8 (with the slower score).
# The link's share moves with the linker's work.
# 4 Dec 2026 (05ca03f, wall, two quiet runs): the full-text fill and the people's indexes now run beside
# the link and the load only names what changed (check 11.4 / 14.0 s, load 0.0, link 23.0 / 25.5,
# score 9.7 / 9.4): load 0.01, link 2.6-2.8, score 2.4-3.0.
COST = {"check": 1.0, "load": 0.01, "link": 2.7, "score": 2.7}
# Reports are at most this often (a redraw per row would cost more than the work).
EVERY = 0.1
# SQLite calls the cancel check every this many virtual-machine steps inside a statement.
SQL_STEPS = 20000


class Cancelled(TriageError):
    """The user stopped the import; the transaction is rolled back whole."""

    def __init__(self):
        super().__init__("The import was cancelled; nothing was changed.")


@dataclass(frozen=True)
class Step:
    phase: str              # check / load / link / score
    number: int             # 1..4
    done: int               # rows (or cases) done in this phase
    total: int
    unit: str               # "rows", "cases", "nominals"
    elapsed: float          # seconds since the import started
    left: float | None      # estimated seconds until the whole import ends; None until known
    ended: bool = False     # the phase is over (a phase with nothing to do ends at once)

    def words(self) -> str:
        """One line a person reads: "Step 2 of 4, writing to the vault: 40,000 of 100,000 rows · about 20 s left"."""
        counts = f"{self.done:,} of {self.total:,} {self.unit}" if self.total else "starting"
        return (f"Step {self.number} of {len(PHASES)}, {WORDS[self.phase].lower()}: {counts} · "
                f"{time_left(self.left)}")

    @property
    def fraction(self) -> float:
        if self.ended:
            return 1.0
        return min(1.0, self.done / self.total) if self.total else 0.0


def time_left(seconds: float | None) -> str:
    if seconds is None:
        return "estimating the time left"
    if seconds < 1.5:
        return "about a second left"
    if seconds < 90:
        return f"about {round(seconds)} s left"
    return f"about {round(seconds / 60)} min left"


def stopper(cancel):
    """A cancel given as a threading.Event, a callable, or None → a callable."""
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    return cancel


class Tracker:
    def __init__(self, steps=None, progress=None, cancel=None, clock=time.perf_counter):
        self.steps = steps
        self.progress = progress
        self.cancelled = stopper(cancel)
        self.clock = clock
        self.started = clock()
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.phase: str | None = None
        self.total = self.done = 0
        self.unit = "rows"
        self.rows: dict[str, int] = {}       # rows each later phase will handle, once known
        self.check_rate: float | None = None  # seconds per row of the check, once measured
        self._phase_start = self._cpu_start = 0.0
        self._last = -1.0
        self.stop_if_cancelled()

    # --- the importer's calls ---------------------------------------------------------------
    def begin(self, phase: str, total: int, unit: str = "rows") -> None:
        self.phase, self.total, self.done, self.unit = phase, max(0, int(total)), 0, unit
        self._phase_start, self._cpu_start = self.clock(), time.process_time()
        self._last = -1.0
        self._report(force=True)

    def advance(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = max(0, int(total))
        self.done = max(self.done, int(done))
        self._report()

    def end(self) -> None:
        if self.phase is None:
            return
        self.done = self.total
        self._report(force=True, ended=True)
        self.timings[self.phase] = round(self.clock() - self._phase_start, 3)
        self.cpu[self.phase] = round(time.process_time() - self._cpu_start, 3)
        if self.phase == "check" and self.total:
            self.check_rate = max(self.timings["check"], 1e-6) / self.total
        self.phase = None

    def expect(self, **rows: int) -> None:
        """How many rows the phases still to come will handle (after the check has counted them)."""
        self.rows.update(rows)

    def stop_if_cancelled(self) -> None:
        if self.cancelled():
            raise Cancelled()

    def watch(self, conn, on: bool = True) -> None:
        """SQLite's check for cancel inside a statement, on (or off: beside.py) for `conn`."""
        if on:
            conn.set_progress_handler(lambda: 1 if self.cancelled() else 0, SQL_STEPS)
        else:
            conn.set_progress_handler(None, 0)

    @contextmanager
    def watching(self, conn):
        """Inside: SQLite itself stops a long statement once cancel is true (then `Cancelled`)."""
        self.watch(conn)
        try:
            yield
        except Exception as e:
            if self.cancelled() and not isinstance(e, Cancelled):
                raise Cancelled() from None
            raise
        finally:
            self.watch(conn, False)

    # --- reporting --------------------------------------------------------------------------
    def _report(self, force: bool = False, ended: bool = False) -> None:
        self.stop_if_cancelled()
        now = self.clock()
        if not force and now - self._last < EVERY:
            return
        self._last = now
        step = Step(self.phase, PHASES.index(self.phase) + 1, min(self.done, self.total) if self.total else self.done,
                    self.total, self.unit, now - self.started, self.left(now), ended)
        if self.steps is not None:
            self.steps(step)
        if self.progress is not None:
            self.progress(self._overall(step), 1000)

    def left(self, now: float | None = None) -> float | None:
        now = self.clock() if now is None else now
        i = PHASES.index(self.phase)
        spent = now - self._phase_start
        rate = self.check_rate
        if rate is None:            # still checking: the check's own rate so far
            if not self.done:
                return None
            rate = spent / self.done
        if self.done and self.total:
            here = spent / self.done * max(0, self.total - self.done)
        else:
            here = max(0.0, rate * COST[self.phase] * self.total - spent)
        guess = self.total if self.phase == "check" else 0     # before the check has counted them
        return here + sum(rate * COST[p] * self.rows.get(p, guess) for p in PHASES[i + 1:])

    def _overall(self, step: Step) -> int:
        """Thousandths of the whole import for a plain bar: a quarter per phase, never going back."""
        value = int(1000 * (step.number - 1 + step.fraction) / len(PHASES))
        self._best = max(getattr(self, "_best", 0), value)
        return self._best
