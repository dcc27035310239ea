"""One typed registry of the app's preferences over QSettings.

Only non-secret preferences live here (the store is a plain file or the registry): never a
passphrase, never case data. Each setting is declared once with its type and default, so a
misspelt key or a value of the wrong type can't creep in from a hand-edited file.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "triage-app"
APPLICATION = "triage-app"


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    minimum: int | None = None
    maximum: int | None = None


IDLE_LOCK_MINUTES = Setting("security/idle_lock_minutes", int, 10, minimum=1, maximum=120)
LAST_USER = Setting("unlock/last_user", str, "")
LAST_VAULT = Setting("unlock/last_vault", str, "")
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray, QByteArray())
QUEUE_HEADER_STATE = Setting("queue/header_state", QByteArray, QByteArray())
CONSULTATION_REASON = Setting("case/consultation_reason", str, "Historic NFA review: triage")

ALL = (IDLE_LOCK_MINUTES, LAST_USER, LAST_VAULT, WINDOW_GEOMETRY, QUEUE_HEADER_STATE, CONSULTATION_REASON)


class Settings:
    """Read and write declared settings; a missing or malformed stored value gives the default."""

    def __init__(self, store: QSettings | None = None):
        self.store = store if store is not None else QSettings(ORGANISATION, APPLICATION)

    def get(self, setting: Setting):
        raw = self.store.value(setting.key, setting.default)
        try:
            value = setting.type(raw) if not isinstance(raw, setting.type) else raw
        except (TypeError, ValueError):
            return setting.default
        if setting.type is int:
            if setting.minimum is not None and value < setting.minimum:
                return setting.default
            if setting.maximum is not None and value > setting.maximum:
                return setting.default
        return value

    def set(self, setting: Setting, value) -> None:
        if not isinstance(value, setting.type):
            raise TypeError(f"{setting.key} takes {setting.type.__name__}")
        self.store.setValue(setting.key, value)
