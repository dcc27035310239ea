"""`triage-app`: the scriptable face. Parses, calls the core, prints; no rules of its own."""
from __future__ import annotations

import argparse
import importlib
import sys

from triage_app import __version__
from triage_app.cli.context import Context, take_env_secrets
from triage_app.cli.helptext import EPILOG
from triage_app.cli.usage_errors import without_values
from triage_app.errors import BadInput, TriageError

# Each module registers its own sub-commands: register(subparsers, common_parent).
COMMAND_MODULES = ("users", "audit_cmd", "importing", "triage", "review", "pack", "ops", "app", "chronology",
                   "material", "exports")


class _Parser(argparse.ArgumentParser):
    """Every command's parser. `example=` (one command line or a list of them) is shown at the end of
    the command's --help and in docs/CLI.md; the help test asks every command for one."""

    def __init__(self, *args, example: str | list[str] | None = None, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        self.examples = [example] if isinstance(example, str) else list(example or [])
        if self.examples and "epilog" not in kwargs:
            kwargs["epilog"] = "example:\n" + "\n".join(f"  {e}" for e in self.examples)
        super().__init__(*args, **kwargs)

    def error(self, message):  # argparse's own message, exit 2, no traceback
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {without_values(message)}\n")


def _common(suppress: bool) -> argparse.ArgumentParser:
    # Given twice (main parser and each command) so options work before or after the command;
    # on commands the default is SUPPRESS so a later default can't erase an earlier value.
    p = argparse.ArgumentParser(add_help=False)
    d = argparse.SUPPRESS if suppress else None
    p.add_argument("--vault", default=d, metavar="PATH",
                   help="the vault file (env TRIAGE_VAULT; default: vault.db in the user data directory)")
    p.add_argument("--user", default=d, metavar="NAME", help="who you are (env TRIAGE_USER)")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="triage-app", parents=[_common(False)], epilog=EPILOG,
                     description="Triage and review of historic NFA cases. OFFICIAL-SENSITIVE. "
                                 "With no command it opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"triage-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = _common(True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"triage_app.cli.{name}").register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    take_env_secrets()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = importlib.import_module("triage_app.cli.app").open_app
    ctx = Context(args)
    try:
        result = args.func(ctx)
        return int(result or 0)
    except BadInput as e:
        for p in e.problems:
            print(p if isinstance(p, str) else _problem_line(p), file=sys.stderr)
        print(e.message, file=sys.stderr)
        return e.exit_code
    except TriageError as e:
        print(e.message, file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("Stopped; nothing further was changed.", file=sys.stderr)
        return 1
    except Exception as e:  # never a traceback to a user; the type only, no data
        print(f"An unexpected {type(e).__name__} stopped the command; any change in progress was rolled back.",
              file=sys.stderr)
        return 1
    finally:
        ctx.close()


def _problem_line(p: dict) -> str:
    where = ":".join(str(x) for x in (p.get("file"), p.get("line"), p.get("column")) if x not in (None, ""))
    return f"{where}: {p.get('message')}" if where else str(p.get("message"))


if __name__ == "__main__":
    raise SystemExit(main())
