"""init, user add|list|disable|role|reset, passwd."""
from __future__ import annotations

from triage_app import users
from triage_app.vault import create_vault


def register(sub, common) -> None:
    p = sub.add_parser("init", parents=[common], help="create a vault and its first admin")
    p.add_argument("--admin", required=True, metavar="NAME")
    p.add_argument("--force", metavar="NAME", help="the police force, printed on referral packs")
    p.set_defaults(func=cmd_init)

    u = sub.add_parser("user", parents=[common], help="manage users (admin)")
    us = u.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    a = us.add_parser("add", parents=[common])
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=["reviewer", "supervisor", "admin"])
    a.set_defaults(func=cmd_add)
    l = us.add_parser("list", parents=[common])
    l.add_argument("--json", action="store_true")
    l.set_defaults(func=cmd_list)
    d = us.add_parser("disable", parents=[common])
    d.add_argument("name")
    d.add_argument("--rekey", action="store_true", help="re-encrypt the vault under a new key")
    d.set_defaults(func=cmd_disable)
    r = us.add_parser("role", parents=[common])
    r.add_argument("name")
    r.add_argument("role", choices=["reviewer", "supervisor", "admin"])
    r.set_defaults(func=cmd_role)
    s = us.add_parser("reset", parents=[common], help="give a user a new passphrase")
    s.add_argument("name")
    s.set_defaults(func=cmd_reset)

    pw = sub.add_parser("passwd", parents=[common], help="change your own passphrase")
    pw.set_defaults(func=cmd_passwd)


def cmd_init(ctx) -> int:
    session = create_vault(ctx.vault_path, ctx.args.admin, ctx.passphrase())
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
    users.disable_user(ctx.open(), ctx.args.name, rekey=ctx.args.rekey)
    ctx.say(f"Disabled {ctx.args.name}." + (" The vault was re-encrypted under a new key." if ctx.args.rekey else ""))
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
