"""What the top-level --help (and docs/CLI.md) says after the commands: the environment variables the
program reads and the exit statuses. Kept as data so the help and the page can't disagree."""
from __future__ import annotations

import textwrap

# name → what it is for (read in triage_app/paths.py and triage_app/cli/context.py)
ENVIRONMENT = {
    "TRIAGE_VAULT": "the vault file, when --vault is not given (default: vault.db in the user data "
                    "directory, e.g. ~/.local/share/triage-app on Linux)",
    "TRIAGE_USER": "the acting user, when --user is not given (otherwise asked for in a terminal)",
    "TRIAGE_PASSPHRASE": "your passphrase (otherwise asked for without echo in a terminal); for init, "
                         "the first admin's new passphrase",
    "TRIAGE_NEW_PASSPHRASE": "the new passphrase for user add, user reset and passwd (otherwise asked "
                             "for twice)",
    "TRIAGE_BUNDLE_PASSPHRASE": "the passphrase of a case bundle, for bundle export and bundle import "
                                "(otherwise asked for)",
}
SECRETS_NOTE = ("The three passphrase variables are removed from the environment as the program starts, "
                "so no program it runs inherits them. A passphrase is never an argument.")

# exit status → meaning
EXIT_STATUSES = {
    0: "done",
    1: "refused (your role or the review's state does not allow it), bad input, not found, or a "
       "verification that failed; one plain sentence on stderr, nothing changed",
    2: "usage: an unknown command or option, or a missing argument",
    3: "wrong user name or passphrase, or a vault that can't be opened",
}


def _item(head: str, text: str) -> str:
    return textwrap.fill(text, width=96, initial_indent=head, subsequent_indent=" " * len(head))


def _epilog() -> str:
    width = max(len(k) for k in ENVIRONMENT) + 4
    lines = ["environment variables:"]
    lines += [_item(f"  {name:<{width - 2}}", text) for name, text in ENVIRONMENT.items()]
    lines += [_item("  ", SECRETS_NOTE), "", "exit status:"]
    lines += [_item(f"  {code}  ", text) for code, text in EXIT_STATUSES.items()]
    lines += ["", "Every command has its own --help (e.g. triage-app review answer --help); all of them, "
                  "with examples, are in docs/CLI.md."]
    return "\n".join(lines)


EPILOG = _epilog()
