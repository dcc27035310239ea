"""The desktop app: `triage-app` (no command) and `triage-app demo`."""
from __future__ import annotations

import os
import sys

from triage_app.errors import TriageError


def register(sub, common) -> None:
    d = sub.add_parser("demo", parents=[common], help="open the app on a demo vault of synthetic cases",
                       example="triage-app demo")
    d.add_argument("--cases", type=int, default=3000, metavar="N", help="how many synthetic cases a new demo vault holds")
    d.set_defaults(func=run_demo)


def _need_a_screen() -> None:
    """Without a display Qt aborts the process with a page of plugin errors; say it in one sentence."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        raise TriageError("There is no screen to open the app on (no DISPLAY); start it from the desktop, "
                          "or use the command line (triage-app --help).")


def open_app(ctx) -> int:
    _need_a_screen()
    from triage_app.gui.app import run
    return run(vault_path=ctx.vault_path, user=getattr(ctx.args, "user", None))


def run_demo(ctx) -> int:
    _need_a_screen()
    from triage_app.gui.app import run_demo as demo
    return demo(vault_path=getattr(ctx.args, "vault", None), cases=ctx.args.cases)
