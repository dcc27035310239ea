"""Sub-commands of this capability (filled in by its issue)."""


def register(sub, common) -> None:
    pass
