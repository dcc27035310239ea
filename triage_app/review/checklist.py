"""Checklists are versioned data in resources/checklists/*.toml.

A review records the checklist id and version it used, so it is always read against that exact
version; a new review takes the highest version of the checklist. Loading checks the file's shape
once, so the workflow can rely on it.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from triage_app.errors import BadInput, NotFound
from triage_app.paths import resource

DEFAULT_ID = "nfa-cse-review"
ANSWERS = ("yes", "no", "na")
# What an item's `yes_needs` may name: a "yes" that would contradict the review's own record is
# refused (the workflow checks it with the sentence below).
NEEDS = {
    "contact_with_wishes": "record a contact that holds the victim's wishes (Victim contact) before answering yes",
    "contact_with_support": "record a contact that notes the support offered (Victim contact) before answering yes",
}
PRIORITIES = ("high", "medium", "low")


_CODE = re.compile(r"[A-Za-z0-9_./-]{1,40}")


def code(value) -> str:
    """A short code (an item id, a case ref) quoted back in a message; anything else that the user
    typed is not repeated, since it could be free text."""
    value = str(value or "")
    return f"'{value}'" if _CODE.fullmatch(value) else "(as given)"


@dataclass(frozen=True)
class Suggestion:
    title: str
    category: str
    priority: str


@dataclass(frozen=True)
class Item:
    id: str
    section: str
    text: str
    guidance: str
    mandatory: bool
    suggests: dict[str, Suggestion] = field(default_factory=dict)
    yes_needs: str | None = None     # a fact of the review a "yes" rests on (NEEDS below)


@dataclass(frozen=True)
class Checklist:
    id: str
    version: int
    title: str
    sections: tuple[tuple[str, str], ...]     # (id, title) in order
    items: tuple[Item, ...]

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise BadInput(f"The checklist {self.id} v{self.version} has no item {code(item_id)}.")

    @property
    def mandatory_ids(self) -> list[str]:
        return [it.id for it in self.items if it.mandatory]

    def section_title(self, section_id: str) -> str:
        return dict(self.sections).get(section_id, section_id)

    def as_rows(self) -> list[dict]:
        """The `checklist show --json` shape (docs/CLI.md), with guidance and suggestions added."""
        return [{"id": it.id, "section": it.section, "section_title": self.section_title(it.section),
                 "text": it.text, "mandatory": it.mandatory, "guidance": it.guidance,
                 "suggests": {a: vars(s) for a, s in it.suggests.items()}}
                for it in self.items]


def _parse(path: Path) -> Checklist:
    where = path.name
    try:
        data = tomllib.loads(path.read_text("utf-8"))
        head = data["checklist"]
        sections = tuple((s["id"], s["title"]) for s in data["sections"])
        section_ids = {s for s, _ in sections}
        items = []
        for raw in data["items"]:
            suggests = {}
            for answer, s in raw.get("suggests", {}).items():
                if answer not in ANSWERS or s["priority"] not in PRIORITIES:
                    raise ValueError(f"item {raw['id']} suggests on a bad answer or priority")
                suggests[answer] = Suggestion(s["title"], s["category"], s["priority"])
            if raw["section"] not in section_ids:
                raise ValueError(f"item {raw['id']} names an unknown section")
            if raw.get("yes_needs") is not None and raw["yes_needs"] not in NEEDS:
                raise ValueError(f"item {raw['id']} needs an unknown fact")
            items.append(Item(raw["id"], raw["section"], raw["text"], raw["guidance"],
                              bool(raw["mandatory"]), suggests, raw.get("yes_needs")))
        if len({it.id for it in items}) != len(items):
            raise ValueError("two items share an id")
        return Checklist(str(head["id"]), int(head["version"]), head["title"], sections, tuple(items))
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as e:
        raise BadInput(f"The checklist file {where} is not a valid checklist ({type(e).__name__}).")


@lru_cache(maxsize=None)
def _all(folder: str) -> tuple[Checklist, ...]:
    return tuple(_parse(p) for p in sorted(Path(folder).glob("*.toml")))


def _folder() -> str:
    return str(resource("checklists"))


def load(checklist_id: str = DEFAULT_ID, version: int | None = None) -> Checklist:
    """The given version of a checklist, or its highest version."""
    found = [c for c in _all(_folder()) if c.id == checklist_id and (version is None or c.version == version)]
    if not found:
        what = f"{checklist_id} v{version}" if version is not None else checklist_id
        raise NotFound(f"There is no checklist {what} in the resources.")
    return max(found, key=lambda c: c.version)


def current() -> Checklist:
    return load(DEFAULT_ID)
