"""docs/CLI.md, written from the program's own parser so the page can't drift from the program:

    .venv/bin/python -m triage_app.cli.docs > docs/CLI.md

tests/docs/test_cli_docs.py fails when the page and the parser differ. The text comes from each
command's `help=`, its arguments' `help=` and its `example=`; change those, then regenerate.
Usage lines are built here (not by argparse's formatter) so the page is the same on every Python.
"""
from __future__ import annotations

import argparse
import re
import sys

from triage_app.cli.helptext import ENVIRONMENT, EXIT_STATUSES, SECRETS_NOTE

REGENERATE = ".venv/bin/python -m triage_app.cli.docs > docs/CLI.md"
COMMON = ("--vault", "--user")

HEAD = f"""# Command line reference

<!-- Generated from the program's parser by `{REGENERATE}`. Don't edit by hand:
     change the help text in triage_app/cli/ and regenerate (a test fails when they differ). -->

Everything the desktop app does is also a command, for scripts and for people who prefer a terminal.
`triage-app` with no command opens the desktop app; `triage-app demo` opens it on a demo vault of
synthetic cases. `triage-app --help` and `triage-app COMMAND --help` print what this page says.

Every command also takes these options, before or after the command:

| option | what it is |
|---|---|
| `--vault PATH` | the vault file (environment variable `TRIAGE_VAULT`; default: `vault.db` in the user data directory, `~/.local/share/triage-app/` on Linux, `%LOCALAPPDATA%\\triage-app\\` on Windows) |
| `--user NAME` | who you are (environment variable `TRIAGE_USER`; otherwise asked for in a terminal) |

Your passphrase is never an argument: it is read from `TRIAGE_PASSPHRASE`, or asked for without echo.
A command that needs a role you don't have is refused in one sentence and changes nothing (who may
do what: [the user guide](USER_GUIDE.md#who-may-do-what)). Reading a case, every change and every
export is written to the audit log.

```bash
export TRIAGE_VAULT=~/vault.db TRIAGE_USER=alice
triage-app cases --limit 20
```
"""


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _metavar(a: argparse.Action) -> str:
    if a.metavar is not None:
        return a.metavar if isinstance(a.metavar, str) else " ".join(a.metavar)
    if a.choices is not None:
        return "{" + ",".join(str(c) for c in a.choices) + "}"
    return a.dest.upper() if a.option_strings else a.dest


def _shown(a: argparse.Action) -> bool:
    return (a.help is not argparse.SUPPRESS and not isinstance(a, (argparse._HelpAction, argparse._VersionAction))
            and not (a.option_strings and a.option_strings[0] in COMMON))


def _one(a: argparse.Action) -> str:
    """An argument as it is typed: `--out FILE`, `--json`, `REF [REF ...]`."""
    if isinstance(a, argparse._SubParsersAction):
        return "ACTION ..."
    m = _metavar(a)
    if not a.option_strings:
        return {"+": f"{m} [{m} ...]", "*": f"[{m} ...]", "?": f"[{m}]"}.get(a.nargs, m)
    opt = a.option_strings[-1] if len(a.option_strings) > 1 and a.option_strings[0].startswith("-") \
        and not a.option_strings[0].startswith("--") else a.option_strings[0]
    return opt if a.nargs == 0 else f"{opt} {m}"


def _usage(p: argparse.ArgumentParser) -> str:
    grouped = {}
    for g in p._mutually_exclusive_groups:
        for a in g._group_actions:
            grouped[a] = g
    parts, done = [p.prog], set()
    actions = [a for a in p._actions if _shown(a)]
    for a in [a for a in actions if not a.option_strings] + [a for a in actions if a.option_strings]:
        g = grouped.get(a)
        if g is not None:
            if g in done:
                continue
            done.add(g)
            inner = " | ".join(_one(x) for x in g._group_actions if _shown(x))
            parts.append(f"({inner})" if g.required else f"[{inner}]")
        elif a.option_strings and not a.required:
            parts.append(f"[{_one(a)}]" + (" ..." if isinstance(a, argparse._AppendAction) else ""))
        else:
            parts.append(_one(a))
    return " ".join(parts)


def _help(a: argparse.Action) -> str:
    text = a.help or ""
    if "%(" in text:
        text = text % {**vars(a), "prog": ""}
    extra = []
    if a.option_strings and a.required:
        extra.append("required")
    if a.choices is not None and a.metavar is not None and not set(map(str, a.choices)) <= set(
            re.split(r"[|, ]+", text + " " + str(a.metavar))):
        extra.append("one of " + ", ".join(str(c) for c in a.choices))
    if isinstance(a, argparse._AppendAction):
        extra.append("may be given more than once")
    if a.default not in (None, False, [], argparse.SUPPRESS) and a.option_strings:
        extra.append(f"default {a.default}")
    return text + (f" ({'; '.join(extra)})" if extra else "")


def _subcommands(p: argparse.ArgumentParser):
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            helps = {c.dest: c.help for c in a._choices_actions}
            seen = set()
            for name, sub in a.choices.items():
                if id(sub) in seen:  # an alias
                    continue
                seen.add(id(sub))
                yield name, sub, helps.get(name)


def _anchor(title: str) -> str:
    return re.sub(r"[^a-z0-9 _-]", "", title.lower()).replace(" ", "-")


def _section(p: argparse.ArgumentParser, help_text: str | None, out: list[str]) -> None:
    sentence = (help_text or "").rstrip(".")
    out += [f"### {p.prog}", "", sentence[:1].upper() + sentence[1:] + ".", "", "```", _usage(p), "```", ""]
    args = [a for a in p._actions if _shown(a) and not isinstance(a, argparse._SubParsersAction)]
    if args:
        out += ["| argument | what it is |", "|---|---|"]
        out += [f"| `{_cell(_one(a))}` | {_cell(_help(a))} |" for a in args]
        out.append("")
    subs = list(_subcommands(p))
    if subs:
        out += ["| action | what it does |", "|---|---|"]
        out += [f"| [{name}](#{_anchor(f'{sub.prog}')}) | {_cell(h or '')} |" for name, sub, h in subs]
        out.append("")
    examples = getattr(p, "examples", [])
    if examples:
        out += ["Example:" if len(examples) == 1 else "Examples:", "", "```bash", *examples, "```", ""]
    for _name, sub, h in subs:
        _section(sub, h, out)


def render(parser: argparse.ArgumentParser | None = None) -> str:
    if parser is None:
        from triage_app.cli.main import build_parser
        parser = build_parser()
    out = [HEAD]
    out += ["## Commands", "", "| command | what it does |", "|---|---|"]
    commands = list(_subcommands(parser))
    out += [f"| [{name}](#{_anchor(sub.prog)}) | {_cell(h or '')} |" for name, sub, h in commands]
    out.append("")
    for _name, sub, h in commands:
        _section(sub, h, out)
    out += ["## Environment variables", "", "| variable | what it is |", "|---|---|"]
    out += [f"| `{name}` | {_cell(text)} |" for name, text in ENVIRONMENT.items()]
    out += ["", SECRETS_NOTE, "", "## Exit status", "", "| status | meaning |", "|---|---|"]
    out += [f"| {code} | {_cell(text)} |" for code, text in EXIT_STATUSES.items()]
    out += ["", "A failure prints one plain sentence per problem on stderr, never a traceback, and never a "
                "passphrase, a name or free text from a case. `--json` prints one JSON document on stdout.", ""]
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(render())
