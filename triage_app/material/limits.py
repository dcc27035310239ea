"""The limits shipped in resources/material/limits.toml."""
from __future__ import annotations

import tomllib
from functools import lru_cache

from triage_app.paths import resource


@lru_cache(maxsize=1)
def limits() -> dict:
    with open(resource("material", "limits.toml"), "rb") as f:
        return tomllib.load(f)


def attachments() -> dict:
    return limits()["attachments"]


def checker() -> dict:
    return limits()["checker"]


def max_render_pixels() -> int:
    return int(limits()["view"]["max_render_pixels"])


def pack() -> dict:
    return limits()["pack"]


def kind_of_extension(ext: str) -> str | None:
    ext = ext.lower().lstrip(".")
    for kind, exts in attachments()["types"].items():
        if ext in exts:
            return kind
    return None


def accepted_extensions() -> list[str]:
    return [e for exts in attachments()["types"].values() for e in exts]
