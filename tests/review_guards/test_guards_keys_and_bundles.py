"""Outside review (h24): key-derivation bounds one at a time, and a bundle written with its entry."""
import pytest

from tests.ops.conftest import add_cases
from triage_app import audit
from triage_app.vault.kdf import MAX_ITERATIONS, MAX_LANES, MAX_MEMORY_KIB, SALT_BYTES, KdfParams, OutOfBounds


@pytest.mark.parametrize("params", [
    dict(iterations=MAX_ITERATIONS + 1, lanes=1, memory_kib=64),        # cheap in memory, too many passes
    dict(iterations=1, lanes=MAX_LANES + 1, memory_kib=8 * (MAX_LANES + 1)),
    dict(iterations=1, lanes=1, memory_kib=MAX_MEMORY_KIB + 1),          # inside the cost bound at one pass
])
def test_each_bound_holds_on_its_own(params):
    # The existing cases break the iterations x memory bound as well, so removing the iterations
    # (or lanes) bound alone passed every test.
    with pytest.raises(OutOfBounds):
        KdfParams(**params)


def test_a_salt_outside_its_bounds_is_refused_before_deriving():
    k = KdfParams(iterations=1, lanes=1, memory_kib=8)
    assert len(k.derive("a passphrase", b"s" * SALT_BYTES[0])) == 32
    for n in (SALT_BYTES[0] - 1, SALT_BYTES[1] + 1):
        with pytest.raises(OutOfBounds):
            k.derive("a passphrase", b"s" * n)


def test_a_bundle_whose_disclosure_entry_fails_is_not_left_behind(login, tmp_path, monkeypatch):
    from triage_app.errors import TriageError
    from triage_app.ops.bundle import export_bundle
    from triage_app.vault import connection
    from triage_app.vault.keyslots import CHEAP_KDF
    sam = login("sam")
    refs = add_cases(sam, 2)
    before = sam.head()
    real = audit.append

    def failing(conn, user, action, *a, **k):
        if action == "bundle.export":
            raise connection.OperationalError("disk I/O error")
        return real(conn, user, action, *a, **k)
    monkeypatch.setattr(audit, "append", failing)
    out = tmp_path / "b.bundle"
    with pytest.raises((TriageError, connection.OperationalError)):
        export_bundle(sam, refs, out, "taskforce bundle passphrase seven", kdf=CHEAP_KDF)
    assert not out.exists() and sam.head() == before


def test_a_disabled_users_slot_put_back_in_the_key_file_gets_no_new_key_at_a_rekey(vault_path, login):
    # Re-key seals only to active users' recorded public halves; taking disabled users' records too
    # passed every test (their slot is normally gone already). Here an old copy of the slot is back.
    import json

    from triage_app import users
    from triage_app.vault.keyslots import KeyFile
    keys_path = KeyFile.for_vault(vault_path)
    old_slot = json.loads(keys_path.read_bytes())["slots"]["rob"]
    ada = login("ada")
    users.disable_user(ada, "rob")
    data = json.loads(keys_path.read_bytes())
    assert "rob" not in data["slots"]
    data["slots"]["rob"] = old_slot
    keys_path.write_bytes(json.dumps(data).encode())
    left_out = users.rekey_vault(ada, reason="test")
    assert "rob" in left_out
    assert "rob" not in json.loads(keys_path.read_bytes())["slots"]


def test_a_restore_that_fails_after_writing_the_vault_leaves_nothing_behind(vault_path, login, tmp_path, monkeypatch):
    # The restore's own entry failing (after the database, key file and head are written) must take
    # every written file away; removing that clean-up passed every test (the refusal tests stop earlier).
    from tests.conftest import PASS
    from triage_app.ops import backup
    out = tmp_path / "v.backup"
    backup.make_backup(login("sam"), out)

    def broken(*a, **k):
        raise RuntimeError("the restore's change failed")
    monkeypatch.setattr(backup, "_set_meta", broken)
    new = tmp_path / "restored" / "new.db"
    new.parent.mkdir()
    with pytest.raises(RuntimeError):
        backup.restore_backup(out, new, "sam", PASS["sam"])
    assert list(new.parent.iterdir()) == []
