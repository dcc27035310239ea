"""The chronology's settings, read from resources/chronology/settings.toml (versioned data)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from triage_app.paths import resource


@dataclass(frozen=True)
class Settings:
    version: str
    min_probability: float
    strong_without_probability: float
    possible_without_probability: float
    burst_window_days: int
    burst_min_cases: int
    gap_days: int
    text_fields: tuple[str, ...]
    context_chars: int


@lru_cache(maxsize=1)
def settings() -> Settings:
    with open(resource("chronology", "settings.toml"), "rb") as f:
        d = tomllib.load(f)
    return Settings(version=str(d["meta"]["version"]), min_probability=float(d["links"]["min_probability"]),
                    strong_without_probability=float(d["links"]["strong_without_probability"]),
                    possible_without_probability=float(d["links"]["possible_without_probability"]),
                    burst_window_days=int(d["patterns"]["burst_window_days"]),
                    burst_min_cases=int(d["patterns"]["burst_min_cases"]),
                    gap_days=int(d["patterns"]["gap_days"]),
                    text_fields=tuple(d["text_dates"]["fields"]), context_chars=int(d["text_dates"]["context_chars"]))
