"""Argon2id parameters: bounded before anything is derived (issue 13 item 8), and one set per vault
so an unknown user's dummy derivation costs what a real slot does (item 9; checked by the
parameters used, never by timing)."""
import base64
import json
import os
import struct

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.conftest import PASS
from triage_app import audit, users
from triage_app.errors import AuthFailed, BadInput, VaultUnavailable
from triage_app.ops import bundle
from triage_app.session import create_vault, open_vault
from triage_app.vault import kdf as vault_kdf
from triage_app.vault.kdf import CHEAP_KDF, KdfParams
from triage_app.vault.keyslots import KeyFile

HUGE = 2 ** 31
VAULT_KDF = KdfParams(iterations=2, lanes=1, memory_kib=16)  # cheap, but not CHEAP_KDF


@pytest.fixture
def derivations(monkeypatch):
    """Every Argon2id derivation's parameters, in order (nothing is timed)."""
    seen = []
    real = KdfParams.derive

    def spy(self, passphrase, salt):
        seen.append(self)
        return real(self, passphrase, salt)
    monkeypatch.setattr(KdfParams, "derive", spy)
    return seen


# --- bounds ----------------------------------------------------------------------------------

def _set_slot_kdf(vault_path, user, **values):
    path = KeyFile.for_vault(vault_path)
    data = json.loads(path.read_text())
    target = data["slots"][user]["kdf"] if user else data["kdf"]
    target.update(values)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize("values", [{"iterations": HUGE}, {"memory_kib": HUGE}, {"lanes": HUGE},
                                    {"iterations": 64, "memory_kib": 256 * 1024},  # each within, together not
                                    {"iterations": 0}, {"memory_kib": "8"}, {"iterations": 1.5}])
@pytest.mark.parametrize("where", ["rita", None])  # a slot's own set, or the file's vault-wide copy
def test_a_key_file_asking_for_unbounded_work_is_refused_before_deriving(vault_path, derivations, values, where):
    _set_slot_kdf(vault_path, where, **values)
    for user in ("rita", "sam", "nobody"):  # the same sentence whoever asks: no hint who exists
        with pytest.raises(VaultUnavailable) as e:
            open_vault(vault_path, user, PASS.get(user, "some long passphrase"))
        assert "outside the safe bounds" in e.value.message and "\n" not in e.value.message
    assert derivations == []


def test_the_benchmark_stays_inside_the_bounds():
    chosen = vault_kdf.benchmark_kdf(target_seconds=0.01)
    assert KdfParams(chosen.iterations, chosen.lanes, chosen.memory_kib) == chosen


def _bundle_with_header(tmp_path, **kdf_values) -> os.PathLike:
    data = bundle.seal({"format": bundle.FORMAT, "bundle_id": "b1"}, "bundle passphrase here", CHEAP_KDF)
    (n,) = struct.unpack(">I", data[len(bundle.MAGIC):len(bundle.MAGIC) + 4])
    start = len(bundle.MAGIC) + 4
    header = json.loads(data[start:start + n])
    header["kdf"].update(kdf_values)
    raw = json.dumps(header, sort_keys=True).encode()
    out = tmp_path / "hostile.tbundle"
    out.write_bytes(bundle.MAGIC + struct.pack(">I", len(raw)) + raw + data[start + n:])
    return out


@pytest.mark.parametrize("values", [{"iterations": HUGE}, {"memory_kib": HUGE}, {"lanes": HUGE},
                                    {"salt": "00"}])
def test_a_bundle_header_asking_for_unbounded_work_is_refused_before_deriving(tmp_path, derivations, values):
    file = _bundle_with_header(tmp_path, **values)
    derivations.clear()  # sealing the bundle derived once
    with pytest.raises(BadInput) as e:
        bundle.unseal(file.read_bytes(), "bundle passphrase here", file)
    assert "outside the safe bounds" in e.value.message
    assert derivations == []


def test_the_command_line_refuses_such_a_bundle_in_one_sentence(tmp_path, vault_path, cli):
    file = _bundle_with_header(tmp_path, iterations=HUGE)
    code, out, err = cli("sam", "bundle", "import", str(file),
                         env={"TRIAGE_BUNDLE_PASSPHRASE": "bundle passphrase here"})
    assert code == 1 and err.count("\n") == 1 and "outside the safe bounds" in err


# --- one parameter set per vault -------------------------------------------------------------

def _vault(tmp_path):
    path = tmp_path / "v.db"
    s = create_vault(path, "ada", PASS["ada"], kdf=VAULT_KDF)
    users.add_user(s, "rita", "reviewer", PASS["rita"])
    users.add_user(s, "sam", "supervisor", PASS["sam"])
    return path, s


def _slot_kdfs(path) -> dict:
    data = json.loads(KeyFile.for_vault(path).read_text())
    return {u: KdfParams.from_dict(s["kdf"]) for u, s in data["slots"].items()}


def test_every_slot_uses_the_vaults_one_set_and_so_does_the_dummy(tmp_path, derivations):
    path, s = _vault(tmp_path)
    users.reset_passphrase(s, "rita", "rita was given new words")
    s.close()
    assert set(_slot_kdfs(path).values()) == {VAULT_KDF}
    derivations.clear()
    with pytest.raises(AuthFailed):
        open_vault(path, "nobody", "a long wrong passphrase")
    assert derivations == [VAULT_KDF]  # an unknown user costs exactly what a real slot costs
    derivations.clear()
    with pytest.raises(AuthFailed):
        open_vault(path, "rita", "a long wrong passphrase")
    assert derivations == [VAULT_KDF]


def test_the_vaults_set_comes_from_inside_the_vault_not_from_the_key_file(tmp_path):
    """Lowering the key file's copy does not weaken the next slot: slots use the set in `meta`."""
    path, s = _vault(tmp_path)
    data = json.loads(KeyFile.for_vault(path).read_text())
    data["kdf"] = CHEAP_KDF.as_dict()
    KeyFile.for_vault(path).write_text(json.dumps(data))
    users.add_user(s, "eve", "reviewer", "eve has a long passphrase")
    s.close()
    assert _slot_kdfs(path)["eve"] == VAULT_KDF
    assert KeyFile.load(path).dummy_kdf == VAULT_KDF  # and the copy is put right


def _make_legacy(path, s, user, passphrase, kdf):
    """Rewrite `user`'s slot as the version before one set per vault wrote it: its own parameters,
    an AAD of vault id and user only; no vault-wide set in the file or the database."""
    keys = KeyFile.load(path)
    private = keys._private_key(user, passphrase)
    vault_key = keys.unlock(user, passphrase)
    vid = keys.vault_id
    aad = f"{vid}\0{user}".encode()
    salt, nonce = os.urandom(16), os.urandom(12)
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    slot = {"kdf": {"name": "argon2id", **kdf.as_dict(), "salt": base64.b64encode(salt).decode()},
            "public": keys.public(user),
            "private": {"nonce": base64.b64encode(nonce).decode(),
                        "ct": base64.b64encode(AESGCM(kdf.derive(passphrase, salt)).encrypt(nonce, raw, aad)).decode()}}
    from triage_app.vault.keyslots import _seal_key
    slot["vault_key"] = _seal_key(bytes(vault_key), private.public_key(), aad)
    keys.data["slots"][user] = slot
    keys.data.pop("kdf", None)
    keys.save()


def test_an_older_vault_keeps_opening_and_converges_on_one_set(tmp_path, derivations):
    path, s = _vault(tmp_path)
    slow = KdfParams(iterations=3, lanes=1, memory_kib=32)
    _make_legacy(path, s, "rita", PASS["rita"], CHEAP_KDF)
    _make_legacy(path, s, "sam", PASS["sam"], slow)
    s.conn.execute("DELETE FROM meta WHERE key = 'kdf'")
    s.conn.execute("UPDATE users SET public_key = NULL")
    s.close()

    derivations.clear()
    with pytest.raises(AuthFailed):
        open_vault(path, "nobody", "a long wrong passphrase")
    assert derivations == [slow]  # before any set was recorded: the costliest slot's
    rita = open_vault(path, "rita", PASS["rita"])  # a version-1 slot still opens
    assert vault_kdf.of_vault(rita.conn) == slow  # the costliest set becomes the vault's
    recorded = [e for e in audit.entries(rita.conn) if e["action"] == "keys.record"]
    assert recorded and set(recorded[0]["detail"]["public_keys_recorded"]) == {"ada", "rita", "sam"}
    users.change_own_passphrase(rita, PASS["rita"], "rita chose other words")
    rita.close()
    assert _slot_kdfs(path)["rita"] == slow  # setting a passphrase moves the slot to the vault's set
    assert json.loads(KeyFile.for_vault(path).read_text())["slots"]["rita"]["v"] == 2
    open_vault(path, "rita", "rita chose other words").close()
    open_vault(path, "sam", PASS["sam"]).close()
