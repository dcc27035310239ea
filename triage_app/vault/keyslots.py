"""Key slots: each user's passphrase opens the vault's random database key.

Layout of `VAULT.keys` (JSON, beside the database):
  {"format", "vault_id", "kdf": a copy of the vault's Argon2id parameters (kdf.py), "slots": {user: slot}}
  Each slot holds an X25519 key pair for its user. The private half is wrapped with AES-256-GCM under
  a key derived from the passphrase with Argon2id (the slot keeps its parameters and salt); the
  database key is sealed to the public half (ephemeral X25519 + HKDF + AES-256-GCM). Both are bound
  (AAD) to the vault id and the user name and, in a version-2 slot, to the public half itself: a slot
  pasted under another user's name, or a public half swapped for someone else's, does not open.
  The public halves are recorded inside the encrypted database too (`users.public_key`): a re-key
  seals the new database key only to slots whose public half matches that record (`reseal`).

Why a key pair rather than wrapping the database key directly under the passphrase: an admin who
re-keys the database after a user leaves (`user disable --rekey`) can seal the new key to every
remaining user without knowing their passphrases. Adding a user, disabling one and changing a
passphrase touch only this file (and the change's audit entry), never the database's encryption.
How the file is changed safely (under the database's write lock, journalled): keychange.py.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from triage_app.errors import AuthFailed, VaultUnavailable
from triage_app.fileio import atomic_write
# Re-exported: callers have long imported these from here.
from triage_app.vault.kdf import CHEAP_KDF, KEY_BYTES, KdfParams, OutOfBounds, benchmark_kdf  # noqa: F401
from triage_app.vault.passphrase import passphrase_problem, passphrase_strength  # noqa: F401

FORMAT = "triage-app keyslots 1"
SLOT_VERSION = 2  # the public half is in the AAD; slots without "v" are version 1 (vault id + user only)


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"), validate=True)


def _public_b64(private: X25519PrivateKey) -> str:
    return _b64(private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _wrap_key(shared: bytes, eph_pub: bytes) -> bytes:
    return HKDF(hashes.SHA256(), KEY_BYTES, salt=eph_pub, info=b"triage-app vault key").derive(shared)


def _seal_key(vault_key: bytes, public: X25519PublicKey, aad: bytes) -> dict:
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    nonce = os.urandom(12)
    return {"ephemeral": _b64(eph_pub), "nonce": _b64(nonce),
            "ct": _b64(AESGCM(_wrap_key(eph.exchange(public), eph_pub)).encrypt(nonce, vault_key, aad))}


def _unseal_key(sealed: dict, private: X25519PrivateKey, aad: bytes) -> bytes:
    eph_pub = _unb64(sealed["ephemeral"])
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    return AESGCM(_wrap_key(shared, eph_pub)).decrypt(_unb64(sealed["nonce"]), _unb64(sealed["ct"]), aad)


class KeyFile:
    """The slots file of one vault (or a staged next version of it: see keychange.py)."""

    def __init__(self, path: Path, data: dict):
        self.path = path
        self.data = data

    # --- reading and writing -----------------------------------------------------------------
    @classmethod
    def for_vault(cls, vault_path: Path) -> Path:
        return Path(str(vault_path) + ".keys")

    @classmethod
    def load(cls, vault_path: Path) -> "KeyFile":
        return cls.read(cls.for_vault(vault_path))

    @classmethod
    def read(cls, path: Path) -> "KeyFile":
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise VaultUnavailable(f"The key file {path} beside the vault is missing; restore it from a backup.")
        except OSError as e:
            raise VaultUnavailable(f"The key file {path} can't be read ({e.strerror}).")
        return cls.parse(path, raw)

    @classmethod
    def parse(cls, path: Path, raw: bytes) -> "KeyFile":
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != FORMAT or not isinstance(data.get("slots"), dict) \
                    or not isinstance(data.get("vault_id"), str):
                raise ValueError
        except (ValueError, UnicodeDecodeError, AttributeError):
            raise VaultUnavailable(f"The key file {path} is damaged or is not a triage-app key file; restore it from a backup.")
        keyfile = cls(path, data)
        keyfile._check_bounds()
        return keyfile

    def _check_bounds(self) -> None:
        """Every Argon2id parameter set in the file is bounded before anything is derived with it."""
        try:
            if "kdf" in self.data:
                KdfParams.from_dict(self.data["kdf"])
            for slot in self.data["slots"].values():
                KdfParams.from_dict(slot["kdf"])
        except (OutOfBounds, KeyError, TypeError):
            raise VaultUnavailable(f"The key file {self.path} asks for key-derivation settings outside the safe "
                                   "bounds (or lacks them); restore it from a backup.")

    @classmethod
    def new(cls, vault_path: Path, kdf: KdfParams) -> "KeyFile":
        return cls(cls.for_vault(vault_path), {"format": FORMAT, "vault_id": secrets.token_hex(16),
                                               "kdf": kdf.as_dict(), "slots": {}})

    def to_bytes(self) -> bytes:
        return json.dumps(self.data, indent=1, sort_keys=True).encode("utf-8")

    def save(self) -> None:
        """Write a brand-new vault's file (create, restore); a live vault's changes go through keychange."""
        atomic_write(self.path, self.to_bytes())

    @property
    def vault_id(self) -> str:
        return self.data["vault_id"]

    def users(self) -> list[str]:
        return sorted(self.data["slots"])

    def public(self, user: str) -> str | None:
        slot = self.data["slots"].get(user)
        return slot.get("public") if isinstance(slot, dict) else None

    # --- the vault's one parameter set ------------------------------------------------------
    def set_vault_kdf(self, kdf: KdfParams) -> None:
        self.data["kdf"] = kdf.as_dict()

    @property
    def dummy_kdf(self) -> KdfParams | None:
        """What an unknown user's unlock derives with: the vault's set; in a file from before there
        was one, the costliest slot's (the slots converge on the vault's set as passphrases are set)."""
        if "kdf" in self.data:
            return KdfParams.from_dict(self.data["kdf"])
        sets = [KdfParams.from_dict(s["kdf"]) for s in self.data["slots"].values()]
        return max(sets, key=lambda k: (k.cost, k.iterations), default=None)

    # --- slots ------------------------------------------------------------------------------
    def _aad(self, user: str, slot: dict) -> bytes:
        if slot.get("v") == SLOT_VERSION:
            return f"{self.vault_id}\0{user}\0{slot['public']}".encode("utf-8")
        return f"{self.vault_id}\0{user}".encode("utf-8")

    def _wrap(self, user: str, passphrase: str, private: X25519PrivateKey, kdf: KdfParams) -> dict:
        salt, nonce = os.urandom(16), os.urandom(12)
        slot = {"v": SLOT_VERSION, "kdf": {"name": "argon2id", **kdf.as_dict(), "salt": _b64(salt)},
                "public": _public_b64(private)}
        raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
        slot["private"] = {"nonce": _b64(nonce),
                           "ct": _b64(AESGCM(kdf.derive(passphrase, salt)).encrypt(nonce, raw, self._aad(user, slot)))}
        return slot

    def add_slot(self, user: str, passphrase: str, vault_key: bytes, kdf: KdfParams) -> str:
        """A fresh key pair for `user`; returns its public half (to record in the database)."""
        private = X25519PrivateKey.generate()
        slot = self._wrap(user, passphrase, private, kdf)
        slot["vault_key"] = _seal_key(vault_key, private.public_key(), self._aad(user, slot))
        self.data["slots"][user] = slot
        return slot["public"]

    def _private_key(self, user: str, passphrase: str) -> X25519PrivateKey:
        slot = self.data["slots"].get(user)
        if slot is None:
            # Spend the same effort as a real slot (the vault's one set) so timing hides who exists.
            dummy = self.dummy_kdf
            if dummy is not None:
                dummy.derive(passphrase, os.urandom(16))
            raise AuthFailed()
        try:
            k = slot["kdf"]
            wrap = KdfParams.from_dict(k).derive(passphrase, _unb64(k["salt"]))
            raw = AESGCM(wrap).decrypt(_unb64(slot["private"]["nonce"]), _unb64(slot["private"]["ct"]),
                                       self._aad(user, slot))
        except InvalidTag:
            raise AuthFailed()
        except (KeyError, ValueError, TypeError):
            raise VaultUnavailable(f"The key slot for this user in {self.path} is damaged; restore the key file from a backup.")
        return X25519PrivateKey.from_private_bytes(raw)

    def _vault_key(self, user: str, private: X25519PrivateKey) -> bytearray:
        slot = self.data["slots"][user]
        try:
            return bytearray(_unseal_key(slot["vault_key"], private, self._aad(user, slot)))
        except (InvalidTag, KeyError, ValueError, TypeError):
            raise VaultUnavailable(f"The key slot for this user in {self.path} is damaged; restore the key file from a backup.")

    def unlock(self, user: str, passphrase: str) -> bytearray:
        return self._vault_key(user, self._private_key(user, passphrase))

    def change_passphrase(self, user: str, old: str, new: str, kdf: KdfParams) -> str:
        """Rewrap the user's own key pair under a new passphrase and the vault's parameters (a version-1
        slot becomes version 2); returns the public half, as derived from the private one."""
        private = self._private_key(user, old)
        key = self._vault_key(user, private)
        try:
            slot = self._wrap(user, new, private, kdf)
            slot["vault_key"] = _seal_key(bytes(key), private.public_key(), self._aad(user, slot))
        finally:
            key[:] = bytes(len(key))
        self.data["slots"][user] = slot
        return slot["public"]

    def reset_passphrase(self, user: str, new: str, vault_key: bytes, kdf: KdfParams) -> str:
        """An admin gives a user a fresh slot (a new key pair: the old passphrase is useless now)."""
        return self.add_slot(user, new, vault_key, kdf)

    def remove_slot(self, user: str) -> None:
        self.data["slots"].pop(user, None)

    def reseal(self, new_vault_key: bytes, recorded: dict[str, str]) -> list[str]:
        """After a re-key: seal the new database key to each slot whose public half matches the one
        recorded in the database (`recorded`: user → public half, active users only). Any other slot
        is removed rather than given the key; their names are returned (they need a reset)."""
        left_out = []
        for user, slot in list(self.data["slots"].items()):
            public = slot.get("public") if isinstance(slot, dict) else None
            try:
                if public is None or recorded.get(user) != public:
                    raise ValueError
                slot["vault_key"] = _seal_key(new_vault_key, X25519PublicKey.from_public_bytes(_unb64(public)),
                                              self._aad(user, slot))
            except (ValueError, TypeError):
                del self.data["slots"][user]
                left_out.append(user)
        return sorted(left_out)
