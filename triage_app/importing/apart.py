"""The import's check run apart, in a child process, while this process writes what it has checked.

The check (reading both files, dates, names, places, phones, hashes: validate.py) is Python, and
Python threads cannot share Python work out between cores. For a large import it therefore runs in
a short-lived child (importing/child.py) that runs the same `_check` as an import in one process,
with a sink that sends each good row, in the order the check gives it, down a pipe in frames. Here
each row goes to the import's own sink (stage.Staging), inside the import's transaction, as the
child reads on: the same rows in the same order, so the same vault, by construction.

The child gets its job (the files' paths, the Profile, the vault's cases, today, and the frames' size)
pickled on its stdin,
all of it read before it writes anything. It hardens itself first (no core dump, not dumpable), never
gets a key, never opens the vault and writes nothing to disk: case text crosses only the pipe.

Frames (child → here): an 8-byte little-endian length, then a pickle of a tuple:
  ("ready",)                                     the child started and read its job
  ("cases", rows, progress)                      rows: (line, ref, values, source_hash)
  ("nominals", rows, progress)                   rows: (line, ref, values, identifiers, source_hash)
  ("end", problems, warnings, problem_count, files, checked, progress)
progress is (rows read, estimated total) as `_report_reading` has it, or None. Only plain values
(tuple, list, dict, str, int, None) cross; the unpickler here refuses every class.

A child that cannot start (no interpreter, a missing module: nothing before "ready") → None: the
caller checks in this process, nothing having been written. A child that dies or sends what is not a
frame after that → `Stopped`, and the import rolls back. Cancel is heard at every frame; on cancel
or any error the child is killed and waited for. Pipes only: no fork, no signals (Windows too).
"""
from __future__ import annotations

import io
import os
import pickle
import struct
import subprocess
import sys
import time
from dataclasses import dataclass

from triage_app import children
from triage_app.errors import TriageError
from triage_app.importing.validate import CaseRow, NominalRow

# Both files together at least this large: the check runs in a child. Below it the child's start
# (an interpreter and the importer's modules, ~0.3 s) costs more than the check it would take off
# this process (~5.2 s of Python at 100,000 cases, 111 MB; at 8 MB some 0.4 s).
APART_FROM_BYTES = 8 << 20
MODULE = "triage_app.importing.child"
FROZEN_FLAG = "--import-check"
# Rows to a frame: a frame costs one pickle and one pipe write; a thousand rows keep that small
# beside the rows and hold fewer at once than the staging does (stage.CHUNK). 500 and 2,000 measured
# the same within the noise (the child's CPU s at 100,000 cases, 5.2-7.7 either way).
FRAME_ROWS = 1000
# With rows held back (a stretch of bad rows sends none) a frame of progress alone goes at least
# this often, so the progress bar moves and cancel is heard.
PROGRESS_EVERY = 0.1
_LENGTH = struct.Struct("<Q")
# No frame is anywhere near this (FRAME_ROWS rows); a length past it is not a frame.
MAX_FRAME = 1 << 32
_READ = 1 << 22
# After "end", how long the child may take to exit before it is killed.
EXIT_WAIT = 10.0


class Stopped(TriageError):
    def __init__(self):
        super().__init__("The import's check stopped before it finished; nothing was written.")


@dataclass
class Result:
    problems: list
    warnings: list
    problem_count: int
    files: list
    checked: bool       # the check ran (both files could be read as tables)


def worth_it(cases_path, nominals_path) -> bool:
    try:
        size = os.path.getsize(cases_path) + os.path.getsize(nominals_path)
    except OSError:
        return False        # the check in this process says what is wrong with the file
    return size >= APART_FROM_BYTES


def command() -> list[str]:
    return children.command(MODULE, FROZEN_FLAG)


# --- the frames ---------------------------------------------------------------------------------

def send(stream, frame: tuple) -> None:
    buffer = io.BytesIO()
    buffer.write(bytes(_LENGTH.size))
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # No memo: a frame holds no object twice that matters (a date or "{}" shared by rows is sent
    # again), and keeping each object's id made the child's pickling twice as slow (0.75 → 0.35
    # CPU s for the rows of 100,000 cases; the frames ~1 % larger).
    pickler.fast = True
    pickler.dump(frame)
    view = buffer.getbuffer()
    view[:_LENGTH.size] = _LENGTH.pack(len(view) - _LENGTH.size)
    stream.write(view)
    del view
    stream.flush()


class _Broken(Exception):
    """What came down the pipe is not a whole frame."""


class _PlainValues(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError("a frame holds plain values only")


def _receive(stream) -> tuple:
    head = stream.read(_LENGTH.size)
    if len(head) != _LENGTH.size:
        raise _Broken()
    (n,) = _LENGTH.unpack(head)
    if n > MAX_FRAME:
        raise _Broken()
    parts = []
    while n:        # read in pieces: a false length costs only what was really sent
        part = stream.read(min(n, _READ))
        if not part:
            raise _Broken()
        parts.append(part)
        n -= len(part)
    try:
        frame = _PlainValues(io.BytesIO(b"".join(parts))).load()
    except Exception:       # any byte string: UnpicklingError, EOFError, ValueError, MemoryError …
        raise _Broken() from None
    if not isinstance(frame, tuple) or not frame:
        raise _Broken()
    return frame


# --- this side ------------------------------------------------------------------------------------

def check(cases_path, nominals_path, profile, vault_cases: dict, today, sink, tracker) -> Result | None:
    """The check in a child, each good row fed to `sink` here; None if the child could not start."""
    try:
        proc = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=children.env())
    except OSError:
        return None
    try:
        try:
            job = (str(cases_path), str(nominals_path), profile, vault_cases, today, FRAME_ROWS, PROGRESS_EVERY)
            proc.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            proc.stdin.close()
            started = _receive(proc.stdout) == ("ready",)
        except (OSError, _Broken):       # it died before it had read its job or said it was ready
            started = False
        if not started:
            return None
        try:
            result = _feed(proc.stdout, sink, tracker)
        except _Broken:
            raise Stopped() from None
        if proc.stdout.read(1) or _exit(proc) != 0:   # nothing after "end", then a clean exit
            raise Stopped()
        return result
    finally:
        _end(proc)


def _feed(stream, sink, tracker) -> Result:
    case, nominal = sink.case, sink.nominal
    while True:
        tracker.stop_if_cancelled()
        frame = _receive(stream)
        kind = frame[0]
        try:
            if kind == "cases":
                for line, ref, values, digest in frame[1]:
                    case(CaseRow(line, ref, values, digest))
            elif kind == "nominals":
                for line, ref, values, identifiers, digest in frame[1]:
                    nominal(NominalRow(line, ref, values, identifiers, digest))
            elif kind == "end":
                _, problems, warnings, count, files, checked, progress = frame
                result = Result(list(problems), list(warnings), int(count), list(files), bool(checked))
            else:
                raise _Broken()
            progress = frame[-1]
        except (TypeError, ValueError):     # not the frame it says it is
            raise _Broken() from None
        if progress is not None:
            done, total = progress
            tracker.advance(done, total)
        if kind == "end":
            return result


def _exit(proc) -> int | None:
    try:
        return proc.wait(EXIT_WAIT)
    except subprocess.TimeoutExpired:
        return None


def _end(proc) -> None:
    """The child gone whatever happened: killed if it still runs, and waited for."""
    if proc.poll() is None:
        proc.kill()
    for stream in (proc.stdin, proc.stdout):
        try:
            stream.close()
        except OSError:
            pass
    proc.wait()


# --- the child's side (importing/child.py runs these) ------------------------------------------

class Frames:
    """The child's sink: good rows in frames, in the order the check gives them, with the progress."""

    def __init__(self, stream, rows: int = FRAME_ROWS, every: float = PROGRESS_EVERY, clock=time.monotonic):
        self.stream = stream
        self.rows, self.every = rows, every
        self.clock = clock
        self.cases: list = []
        self.nominals: list = []
        self.progress = None
        self.sent = clock()

    def case(self, row: CaseRow) -> None:
        if self.nominals:
            self._send()
        self.cases.append((row.line, row.ref, row.values, row.source_hash))
        if len(self.cases) >= self.rows:
            self._send()

    def nominal(self, row: NominalRow) -> None:
        if self.cases:
            self._send()
        self.nominals.append((row.line, row.ref, row.values, row.identifiers, row.source_hash))
        if len(self.nominals) >= self.rows:
            self._send()

    def advance(self, done: int, total: int | None = None) -> None:
        """The Tracker's call from `_report_reading`; sent with the next frame, or alone if rows are slow."""
        self.progress = (done, total if total is not None else done)
        if self.clock() - self.sent >= self.every:
            self._send()

    def _send(self) -> None:
        if self.cases:
            send(self.stream, ("cases", self.cases, self.progress))
            self.cases = []
        elif self.nominals:
            send(self.stream, ("nominals", self.nominals, self.progress))
            self.nominals = []
        else:
            send(self.stream, ("cases", [], self.progress))
        self.progress = None
        self.sent = self.clock()

    def end(self, plan) -> None:
        if self.cases or self.nominals:
            self._send()
        send(self.stream, ("end", plan.problems, plan.warnings, plan.problem_count, plan.files,
                           plan.checked is not None, self.progress))
