"""The child process of an import's check (importing/apart.py says why and what crosses the pipe).

Run as `python -I -m triage_app.importing.child` (the frozen bundle: `triage-app --import-check`). It
reads its job pickled on stdin, checks both files with the same `_check` as an import in one process,
and writes frames on stdout. Nothing else goes to stdout (a stray print would break the frames) and
nothing to disk; it never sees a key or opens the vault.
"""
from __future__ import annotations

import os
import pickle
import queue
import sys
import threading

# Frames the child may have made that the parent has not yet taken. The two sides' paces cross (the
# parent is slower over the cases, whose text it encrypts into the vault; the child over the people):
# with only the pipe between them each waited on the other in turn, and the check took as long as
# in one process (100k: 10.4-10.8 s apart vs 10.5-10.9 here). ~1 MB a frame of cases at most.
AHEAD = 32


class _Behind:
    """The child's stdout written by a thread of its own (a blocking write lets go of the GIL), so the
    check goes on while the parent is busy with earlier frames."""

    def __init__(self, out):
        self.out = out
        self.frames: queue.Queue = queue.Queue(AHEAD)
        self.thread = threading.Thread(target=self._write, name="import check frames", daemon=True)
        self.thread.start()

    def write(self, data) -> None:
        self.frames.put(bytes(data))

    def flush(self) -> None:
        pass

    def _write(self) -> None:
        try:
            while (data := self.frames.get()) is not None:
                self.out.write(data)
                self.out.flush()
        except OSError:         # the parent has gone (a cancel, an error): nothing left to do
            os._exit(1)

    def close(self) -> None:
        self.frames.put(None)
        self.thread.join()


def main() -> int:
    from triage_app.vault.connection import harden_process
    harden_process()                 # first: no core dump, not dumpable, before any case text is read
    out = sys.stdout.buffer
    sys.stdout = sys.stderr          # anything printed by mistake goes where the parent does not read
    cases_path, nominals_path, profile, vault_cases, today, rows, every = pickle.loads(sys.stdin.buffer.read())
    sys.stdin.close()

    from triage_app import importing
    from triage_app.importing import apart

    out = _Behind(out)
    apart.send(out, ("ready",))
    frames = apart.Frames(out, rows, every)
    with importing._no_cycle_collector():     # as in the import's own check
        plan = importing._check(cases_path, nominals_path, profile, None, today, sink=frames,
                                vault_cases=vault_cases, tracker=frames)
    frames.end(plan)
    out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
