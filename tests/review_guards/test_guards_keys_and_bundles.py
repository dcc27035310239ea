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
