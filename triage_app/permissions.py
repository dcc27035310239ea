"""Who may do what (docs/USER_GUIDE.md, Who may do what). Roles don't nest: each permission lists its roles."""
from __future__ import annotations

import re

from triage_app.errors import BadInput

ROLES = ("reviewer", "supervisor", "admin")

PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset({"reviewer", "supervisor", "admin"}),          # queue, cases, search, links, stats
    "review": frozenset({"reviewer", "supervisor"}),                  # start/edit own review, judge links, packs
    "decide": frozenset({"supervisor"}),                              # sign-off (never one's own)
    "import": frozenset({"supervisor", "admin"}),
    "backup": frozenset({"supervisor", "admin"}),
    "restore": frozenset({"supervisor", "admin"}),
    "bundle": frozenset({"supervisor", "admin"}),
    "retention": frozenset({"supervisor", "admin"}),
    "users": frozenset({"admin"}),
    "audit_read": frozenset({"supervisor", "admin"}),
    "self": frozenset({"reviewer", "supervisor", "admin"}),           # own passphrase, unlock
}

# Words for refusals: "A reviewer may not <phrase>."
PHRASES = {
    "read": "read cases",
    "review": "work on reviews, judge links or make referral packs",
    "decide": "sign off reviews",
    "import": "import cases",
    "backup": "make or check backups",
    "restore": "restore backups",
    "bundle": "export or import case bundles",
    "retention": "record retention decisions",
    "users": "manage users",
    "audit_read": "read the audit log",
    "self": "change their passphrase",
}


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS[permission]


def article(role: str) -> str:
    return "An" if role[:1] in "aeiou" else "A"


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")


def validate_user_name(name: str) -> None:
    if not _NAME.match(name or ""):
        raise BadInput("A user name is 2–64 letters, digits, dots, dashes or underscores, starting with a letter or digit.")
