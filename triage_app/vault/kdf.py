"""Argon2id parameters: one set per vault, bounded wherever they are read from a file.

Every slot of a vault is wrapped with the vault's one parameter set (kept in the encrypted `meta`
table, copied into the key file for the work an unknown user's unlock must cost), so the time an
unlock takes does not tell which user names exist. Parameters read from a file someone else may
have written (a key file, a bundle header) are checked against `BOUNDS` before anything is derived:
`iterations = 2**31` would hang and `memory_kib = 2**31` would exhaust memory.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_BYTES = 32
MAX_ITERATIONS = 64
MAX_LANES = 16
MAX_MEMORY_KIB = 256 * 1024           # 256 MiB; the benchmark uses 64 MiB
MAX_COST = 64 * 64 * 1024              # iterations × memory: ~64 passes over 64 MiB (seconds, not hours)
SALT_BYTES = (8, 64)


class OutOfBounds(ValueError):
    """Parameters outside what this version will ever derive with (the caller words the sentence)."""


@dataclass(frozen=True)
class KdfParams:
    iterations: int
    lanes: int
    memory_kib: int

    def __post_init__(self):
        for name in ("iterations", "lanes", "memory_kib"):
            if type(getattr(self, name)) is not int:
                raise OutOfBounds(f"{name} is not a whole number")
        if not (1 <= self.iterations <= MAX_ITERATIONS and 1 <= self.lanes <= MAX_LANES
                and 8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB
                and self.iterations * self.memory_kib <= MAX_COST):
            raise OutOfBounds("Argon2id parameters out of bounds")

    @property
    def cost(self) -> int:
        return self.iterations * self.memory_kib

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        if not SALT_BYTES[0] <= len(salt) <= SALT_BYTES[1]:
            raise OutOfBounds("salt length out of bounds")
        return Argon2id(salt=salt, length=KEY_BYTES, iterations=self.iterations, lanes=self.lanes,
                        memory_cost=self.memory_kib).derive(passphrase.encode("utf-8"))

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d) -> "KdfParams":
        """From a slot, key file or header; OutOfBounds for anything missing, mistyped or too big."""
        try:
            return cls(d["iterations"], d["lanes"], d["memory_kib"])
        except (KeyError, TypeError) as e:
            raise OutOfBounds("Argon2id parameters missing") from e


# For tests and fixtures only: the command line always benchmarks.
CHEAP_KDF = KdfParams(iterations=1, lanes=1, memory_kib=8)

_benchmarked: KdfParams | None = None


def benchmark_kdf(target_seconds: float = 0.5, memory_kib: int = 64 * 1024, lanes: int = 2) -> KdfParams:
    """Pick Argon2id iterations so one derivation takes about `target_seconds` on this machine
    (never beyond the bounds every reader enforces)."""
    global _benchmarked
    if _benchmarked is not None:
        return _benchmarked
    salt = os.urandom(16)
    ceiling = min(MAX_ITERATIONS, MAX_COST // memory_kib)

    def timed(iterations: int) -> float:
        start = time.perf_counter()
        KdfParams(iterations, lanes, memory_kib).derive("benchmark", salt)
        return time.perf_counter() - start

    timed(1)  # warm-up: the first call pays for page faults on fresh memory
    iterations = min(ceiling, max(2, round(target_seconds / max(timed(4) / 4, 1e-4))))
    # One correction at the real size: per-iteration cost is not quite linear.
    iterations = min(ceiling, max(2, round(iterations * target_seconds / max(timed(iterations), 1e-4))))
    _benchmarked = KdfParams(iterations=iterations, lanes=lanes, memory_kib=memory_kib)
    return _benchmarked


# --- the vault's one set, kept in the encrypted database -------------------------------------

def of_vault(conn) -> KdfParams | None:
    """The vault's parameters from `meta` (None in a vault made before they were kept there)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'kdf'").fetchone()
    return KdfParams.from_dict(json.loads(row[0])) if row else None


def keep(conn, kdf: KdfParams) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES ('kdf', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (json.dumps(kdf.as_dict(), sort_keys=True),))
