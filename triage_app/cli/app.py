"""The desktop app: `triage-app` (no command) and `triage-app demo`."""
from __future__ import annotations


def register(sub, common) -> None:
    d = sub.add_parser("demo", parents=[common], help="open the app on a demo vault of synthetic cases")
    d.add_argument("--cases", type=int, default=3000, help="how many synthetic cases a new demo vault holds")
    d.set_defaults(func=run_demo)


def open_app(ctx) -> int:
    from triage_app.gui.app import run
    return run(vault_path=ctx.vault_path, user=getattr(ctx.args, "user", None))


def run_demo(ctx) -> int:
    from triage_app.gui.app import run_demo as demo
    return demo(vault_path=getattr(ctx.args, "vault", None), cases=ctx.args.cases)
