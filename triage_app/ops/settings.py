"""The operations settings shipped in resources/ops/settings.toml."""
from __future__ import annotations

import tomllib
from functools import lru_cache

from triage_app.paths import resource


@lru_cache(maxsize=1)
def settings() -> dict:
    with open(resource("ops", "settings.toml"), "rb") as f:
        return tomllib.load(f)


def remind_after_days() -> int:
    return int(settings()["backup"]["remind_after_days"])


def review_years() -> int:
    return int(settings()["retention"]["review_years"])


def mopi_group() -> int:
    return int(settings()["retention"]["group"])
