"""init, user add|list|disable|role|reset, passwd."""
from __future__ import annotations

import argparse

from triage_app import users
from triage_app.session import create_vault


ROLES = ["reviewer", "supervisor", "admin"]


def register(sub, common) -> None:
    p = sub.add_parser("init", parents=[common], help="create a vault and its first admin",
                       example='triage-app --vault ~/vault.db init --admin alice --force-name "Example Constabulary"')
    p.add_argument("--admin", required=True, metavar="NAME",
                   help="the first admin's user name (their passphrase: TRIAGE_PASSPHRASE or asked for)")
    p.add_argument("--force-name", metavar="NAME", dest="force",
                   help="the police force's name, printed on referral packs (2-80 characters)")
    # The old spelling still works for scripts that use it; hidden from the help.
    p.add_argument("--force", metavar="NAME", dest="force", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_init)

    u = sub.add_parser("user", parents=[common], help="manage users (admin)",
                       example="triage-app user list")
    us = u.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    a = us.add_parser("add", parents=[common], help="add a user (their passphrase: TRIAGE_NEW_PASSPHRASE or asked twice)",
                      example="triage-app user add bob --role reviewer")
    a.add_argument("name", metavar="NAME", help="the new user's name")
    a.add_argument("--role", required=True, choices=ROLES, help="what they may do")
    a.set_defaults(func=cmd_add)
    l = us.add_parser("list", parents=[common], help="list users, their roles and whether they are active",
                      example="triage-app user list --json")
    l.add_argument("--json", action="store_true", help="print one JSON document")
    l.set_defaults(func=cmd_list)
    d = us.add_parser("disable", parents=[common], help="disable a user (the last admin can't be disabled)",
                      example="triage-app user disable bob --rekey")
    d.add_argument("name", metavar="NAME", help="the user to disable")
    d.add_argument("--rekey", action="store_true",
                   help="also re-encrypt the vault under a new key (when they may hold a copy of it)")
    d.set_defaults(func=cmd_disable)
    r = us.add_parser("role", parents=[common], help="change a user's role (the last admin can't be demoted)",
                      example="triage-app user role bob supervisor")
    r.add_argument("name", metavar="NAME", help="the user")
    r.add_argument("role", metavar="ROLE", choices=ROLES, help="their new role: reviewer, supervisor or admin")
    r.set_defaults(func=cmd_role)
    s = us.add_parser("reset", parents=[common],
                      help="give a user a new passphrase (TRIAGE_NEW_PASSPHRASE or asked twice)",
                      example="triage-app user reset bob")
    s.add_argument("name", metavar="NAME", help="the user who forgot their passphrase")
    s.set_defaults(func=cmd_reset)

    pw = sub.add_parser("passwd", parents=[common],
                        help="change your own passphrase (the new one: TRIAGE_NEW_PASSPHRASE or asked twice)",
                        example="triage-app passwd")
    pw.set_defaults(func=cmd_passwd)


def cmd_init(ctx) -> int:
    session = create_vault(ctx.vault_path, ctx.args.admin, ctx.passphrase(confirm=True))
    try:
        if ctx.args.force:
            set_force_name(session, ctx.args.force)
    finally:
        session.close()
    ctx.say(f"Created the vault {ctx.vault_path} with admin {ctx.args.admin}.")
    return 0


def set_force_name(session, name: str) -> None:
    name = " ".join(name.split())
    if not 2 <= len(name) <= 80:
        from triage_app.errors import BadInput
        raise BadInput("A force name is 2–80 characters.")
    with session.change("users", "vault.force_name", kind="administration", detail={"force": name}):
        session.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('force_name', ?)", (name,))


def cmd_add(ctx) -> int:
    s = ctx.open()
    s.require("users")
    users.add_user(s, ctx.args.name, ctx.args.role, ctx.new_passphrase(what=f"Passphrase for {ctx.args.name}"))
    ctx.say(f"Added {ctx.args.name} as {ctx.args.role}.")
    return 0


def cmd_list(ctx) -> int:
    rows = users.list_users(ctx.open())
    if ctx.args.json:
        ctx.print_json(rows)
    else:
        for r in rows:
            ctx.say(f"{r['name']:<24} {r['role']:<11} {'disabled' if r['disabled'] else 'active'}")
    return 0


def cmd_disable(ctx) -> int:
    left_out = users.disable_user(ctx.open(), ctx.args.name, rekey=ctx.args.rekey)
    ctx.say(f"Disabled {ctx.args.name}." + (" The vault was re-encrypted under a new key." if ctx.args.rekey else ""))
    for name in left_out:
        ctx.warn(f"The key slot of {name} did not match the vault's record of it (it may have been tampered "
                 f"with), so it was removed and not given the new key; give {name} a new passphrase with "
                 f"'user reset {name}'.")
    return 0


def cmd_role(ctx) -> int:
    users.set_role(ctx.open(), ctx.args.name, ctx.args.role)
    ctx.say(f"{ctx.args.name} is now {ctx.args.role}.")
    return 0


def cmd_reset(ctx) -> int:
    s = ctx.open()
    s.require("users")
    users.reset_passphrase(s, ctx.args.name, ctx.new_passphrase(what=f"New passphrase for {ctx.args.name}"))
    ctx.say(f"Set a new passphrase for {ctx.args.name}.")
    return 0


def cmd_passwd(ctx) -> int:
    s = ctx.open()
    users.change_own_passphrase(s, ctx.passphrase(), ctx.new_passphrase())
    ctx.say("Your passphrase was changed.")
    return 0
