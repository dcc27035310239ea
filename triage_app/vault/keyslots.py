"""Key slots: each user's passphrase opens the vault's random database key.

Layout of `VAULT.keys` (JSON, beside the database):
  each slot holds an X25519 key pair for its user. The private half is wrapped with AES-256-GCM
  under a key derived from the passphrase with Argon2id (the parameters are kept in the slot); the
  database key is sealed to the public half (ephemeral X25519 + HKDF + AES-256-GCM).

Why a key pair rather than wrapping the database key directly under the passphrase: an admin who
re-keys the database after a user leaves (`user disable --rekey`) can seal the new key to every
remaining user without knowing their passphrases. Adding a user, disabling one and changing a
passphrase touch only this file, never the encrypted database.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from triage_app.errors import AuthFailed, VaultUnavailable
from triage_app.fileio import atomic_write

FORMAT = "triage-app keyslots 1"
KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    iterations: int
    lanes: int
    memory_kib: int

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        return Argon2id(salt=salt, length=KEY_BYTES, iterations=self.iterations, lanes=self.lanes,
                        memory_cost=self.memory_kib).derive(passphrase.encode("utf-8"))


# For tests and fixtures only: the command line always benchmarks.
CHEAP_KDF = KdfParams(iterations=1, lanes=1, memory_kib=8)

_benchmarked: KdfParams | None = None


def benchmark_kdf(target_seconds: float = 0.5, memory_kib: int = 64 * 1024, lanes: int = 2) -> KdfParams:
    """Pick Argon2id iterations so one derivation takes about `target_seconds` on this machine."""
    global _benchmarked
    if _benchmarked is not None:
        return _benchmarked
    salt = os.urandom(16)

    def timed(iterations: int) -> float:
        start = time.perf_counter()
        KdfParams(iterations, lanes, memory_kib).derive("benchmark", salt)
        return time.perf_counter() - start

    timed(1)  # warm-up: the first call pays for page faults on fresh memory
    iterations = max(2, round(target_seconds / max(timed(4) / 4, 1e-4)))
    # One correction at the real size: per-iteration cost is not quite linear.
    iterations = max(2, round(iterations * target_seconds / max(timed(iterations), 1e-4)))
    _benchmarked = KdfParams(iterations=iterations, lanes=lanes, memory_kib=memory_kib)
    return _benchmarked


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"), validate=True)


def _seal_key(vault_key: bytes, public: X25519PublicKey, aad: bytes) -> dict:
    eph = X25519PrivateKey.generate()
    shared = eph.exchange(public)
    eph_pub = eph.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    wrap = HKDF(hashes.SHA256(), KEY_BYTES, salt=eph_pub, info=b"triage-app vault key").derive(shared)
    nonce = os.urandom(12)
    return {"ephemeral": _b64(eph_pub), "nonce": _b64(nonce),
            "ct": _b64(AESGCM(wrap).encrypt(nonce, vault_key, aad))}


def _unseal_key(sealed: dict, private: X25519PrivateKey, aad: bytes) -> bytes:
    eph_pub = _unb64(sealed["ephemeral"])
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    wrap = HKDF(hashes.SHA256(), KEY_BYTES, salt=eph_pub, info=b"triage-app vault key").derive(shared)
    return AESGCM(wrap).decrypt(_unb64(sealed["nonce"]), _unb64(sealed["ct"]), aad)


class KeyFile:
    """The slots file of one vault. Reads are cheap; writes are atomic (temp file + rename)."""

    def __init__(self, path: Path, data: dict):
        self.path = path
        self.data = data

    # --- loading and saving -------------------------------------------------------------
    @classmethod
    def for_vault(cls, vault_path: Path) -> Path:
        return Path(str(vault_path) + ".keys")

    @classmethod
    def load(cls, vault_path: Path) -> "KeyFile":
        path = cls.for_vault(vault_path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise VaultUnavailable(f"The key file {path} beside the vault is missing; restore it from a backup.")
        except OSError as e:
            raise VaultUnavailable(f"The key file {path} can't be read ({e.strerror}).")
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != FORMAT or not isinstance(data.get("slots"), dict):
                raise ValueError
        except (ValueError, UnicodeDecodeError, AttributeError):
            raise VaultUnavailable(f"The key file {path} is damaged or is not a triage-app key file; restore it from a backup.")
        return cls(path, data)

    @classmethod
    def load_pending(cls, vault_path: Path) -> "KeyFile | None":
        pending = Path(str(cls.for_vault(vault_path)) + ".pending")
        try:
            data = json.loads(pending.read_text("utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        return cls(pending, data) if isinstance(data, dict) and data.get("format") == FORMAT else None

    def write_pending(self) -> None:
        """Before a re-key: the new slots land beside the live ones until the database has the new key."""
        atomic_write(Path(str(self.for_vault_path()) + ".pending"),
                     json.dumps(self.data, indent=1, sort_keys=True).encode("utf-8"))

    def for_vault_path(self) -> Path:
        return self.path if self.path.name.endswith(".keys") else Path(str(self.path)[: -len(".pending")])

    def promote(self) -> None:
        live = self.for_vault_path()
        os.replace(Path(str(live) + ".pending"), live)
        self.path = live

    @classmethod
    def new(cls, vault_path: Path) -> "KeyFile":
        return cls(cls.for_vault(vault_path), {"format": FORMAT, "vault_id": secrets.token_hex(16), "slots": {}})

    def save(self) -> None:
        atomic_write(self.path, json.dumps(self.data, indent=1, sort_keys=True).encode("utf-8"))

    @property
    def vault_id(self) -> str:
        return self.data["vault_id"]

    def users(self) -> list[str]:
        return sorted(self.data["slots"])

    def _aad(self, user: str) -> bytes:
        return f"{self.vault_id}\0{user}".encode("utf-8")

    # --- slots --------------------------------------------------------------------------
    def add_slot(self, user: str, passphrase: str, vault_key: bytes, kdf: KdfParams) -> None:
        private = X25519PrivateKey.generate()
        self.data["slots"][user] = self._build_slot(user, passphrase, private, kdf)
        self.data["slots"][user]["vault_key"] = _seal_key(vault_key, private.public_key(), self._aad(user))

    def _build_slot(self, user: str, passphrase: str, private: X25519PrivateKey, kdf: KdfParams) -> dict:
        salt = os.urandom(16)
        wrap = kdf.derive(passphrase, salt)
        raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
        nonce = os.urandom(12)
        public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kdf": {"name": "argon2id", **asdict(kdf), "salt": _b64(salt)},
                "public": _b64(public),
                "private": {"nonce": _b64(nonce), "ct": _b64(AESGCM(wrap).encrypt(nonce, raw, self._aad(user)))}}

    def _private_key(self, user: str, passphrase: str) -> X25519PrivateKey:
        slot = self.data["slots"].get(user)
        if slot is None:
            # Spend the same effort as a real slot so timing does not reveal which users exist.
            any_slot = next(iter(self.data["slots"].values()), None)
            if any_slot:
                k = any_slot["kdf"]
                KdfParams(k["iterations"], k["lanes"], k["memory_kib"]).derive(passphrase, os.urandom(16))
            raise AuthFailed()
        try:
            k = slot["kdf"]
            wrap = KdfParams(k["iterations"], k["lanes"], k["memory_kib"]).derive(passphrase, _unb64(k["salt"]))
            raw = AESGCM(wrap).decrypt(_unb64(slot["private"]["nonce"]), _unb64(slot["private"]["ct"]), self._aad(user))
        except InvalidTag:
            raise AuthFailed()
        except (KeyError, ValueError, TypeError):
            raise VaultUnavailable(f"The key slot for this user in {self.path} is damaged; restore the key file from a backup.")
        return X25519PrivateKey.from_private_bytes(raw)

    def unlock(self, user: str, passphrase: str) -> bytearray:
        private = self._private_key(user, passphrase)
        try:
            key = _unseal_key(self.data["slots"][user]["vault_key"], private, self._aad(user))
        except (InvalidTag, KeyError, ValueError, TypeError):
            raise VaultUnavailable(f"The key slot for this user in {self.path} is damaged; restore the key file from a backup.")
        return bytearray(key)

    def change_passphrase(self, user: str, old: str, new: str, kdf: KdfParams) -> None:
        private = self._private_key(user, old)
        sealed = self.data["slots"][user]["vault_key"]
        self.data["slots"][user] = self._build_slot(user, new, private, kdf)
        self.data["slots"][user]["vault_key"] = sealed

    def reset_passphrase(self, user: str, new: str, vault_key: bytes, kdf: KdfParams) -> None:
        """An admin gives a user a fresh slot (a new key pair: the old passphrase is useless now)."""
        self.add_slot(user, new, vault_key, kdf)

    def remove_slot(self, user: str) -> None:
        self.data["slots"].pop(user, None)

    def reseal_all(self, new_vault_key: bytes) -> None:
        """After a re-key: seal the new database key to every remaining user's public key."""
        for user, slot in self.data["slots"].items():
            public = X25519PublicKey.from_public_bytes(_unb64(slot["public"]))
            slot["vault_key"] = _seal_key(new_vault_key, public, self._aad(user))


COMMON = {"password", "passphrase", "letmein", "qwerty", "123456", "police", "welcome", "changeme"}


def passphrase_problem(p: str) -> str | None:
    """None when strong enough, else one sentence saying what is missing."""
    if len(p) < 12:
        return "A passphrase needs at least 12 characters (several words are easiest to remember)."
    if len(set(p)) < 6:
        return "A passphrase needs more variety than a few repeated characters."
    rest = p.lower()
    for w in COMMON:
        rest = rest.replace(w, "")
    if rest != p.lower() and len(set(c for c in rest if not c.isdigit())) < 6:
        return "That passphrase is too common; choose several unrelated words."
    return None


def passphrase_strength(p: str) -> int:
    """0–4 for a strength meter: rough entropy from length and character classes."""
    import math
    classes = sum([any(c.islower() for c in p), any(c.isupper() for c in p),
                   any(c.isdigit() for c in p), any(not c.isalnum() for c in p)])
    pool = {0: 1, 1: 26, 2: 52, 3: 62, 4: 94}[classes]
    bits = len(p) * math.log2(max(pool, 2)) * min(1.0, len(set(p)) / max(len(p) * 0.5, 1))
    if passphrase_problem(p):
        return min(1, int(bits // 40))
    return max(2, min(4, int(bits // 30)))
