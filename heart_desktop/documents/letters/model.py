"""A letter's data: who it is to, what it says (blocks of plain values), and who signed it.

As for the pack, the PDF is built from this model alone, and the model's fingerprint (the hash of
what the letter shows, never when it was built) says whether the letter would now read
differently. A letter module (``acknowledgement`` and the rest) makes the blocks from the case's
facts and the wording in ``resources/policy/letters.toml``; ``layout`` renders them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from heart_desktop import __version__
from heart_desktop.documents.model import fingerprint

STANDARD, LARGE = "standard", "large"
DRAWN, BY_NAME = "drawn", "by_name"
SIGN_METHODS = {DRAWN: "signed on screen", BY_NAME: "signed by name"}


@dataclass(frozen=True)
class Block:
    """One piece of the letter's body: a heading, a paragraph, a list, or a table of label and value
    rows (``rows``: label, value); ``section`` names the policy section a reason rests on."""

    kind: str  # "heading", "para", "list", "table"
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()
    caption: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "items": list(self.items), "rows": [list(r) for r in self.rows],
                "caption": self.caption}


def heading(text: str) -> Block:
    return Block("heading", text)


def para(text: str) -> Block:
    return Block("para", text)


def bullets(items: Sequence[str]) -> Block:
    return Block("list", items=tuple(items))


def table(rows: Sequence[tuple[str, str]], caption: str = "") -> Block:
    return Block("table", rows=tuple(rows), caption=caption)


@dataclass(frozen=True)
class LetterSignature:
    """The officer's signature: drawn on screen (strokes, 0..1 pad coordinates) or given by name."""

    name: str
    signed_at: str
    method: str = BY_NAME
    strokes: tuple[tuple[tuple[float, float], ...], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"role": "officer", "name": self.name, "signed_at": self.signed_at, "method": self.method,
                "strokes": [[[x, y] for x, y in s] for s in self.strokes]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LetterSignature:
        strokes = tuple(tuple((round(float(x), 4), round(float(y), 4)) for x, y in s)
                        for s in data.get("strokes") or [])
        return cls(str(data.get("name") or ""), str(data.get("signed_at") or ""),
                   str(data.get("method") or BY_NAME), strokes)


@dataclass(frozen=True)
class Addressee:
    """Who the letter is to: the customer, or their advocate on their behalf (as the case records)."""

    name: str
    lines: tuple[str, ...]  # the postal address
    salutation: str
    on_behalf_of: str = ""  # the customer's name when the letter goes to their advocate


@dataclass(frozen=True)
class LetterData:
    kind: str
    title: str
    section: str  # the policy sections the letter rests on
    reference: str
    council_name: str
    desk: str  # the duty desk serving the customer's area (5.1)
    addressee: Addressee
    dated: date
    officer: str
    officer_role: str
    blocks: tuple[Block, ...]
    policy_version: str
    print_size: str = STANDARD
    signature: LetterSignature | None = None
    about: dict[str, Any] = field(default_factory=dict)  # what the letter was made from (a visit's id)

    @property
    def large_print(self) -> bool:
        return self.print_size == LARGE

    @property
    def shown(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, "section": self.section, "reference": self.reference,
                "council": self.council_name, "desk": self.desk, "to": [self.addressee.name, *self.addressee.lines,
                                                                         self.addressee.salutation,
                                                                         self.addressee.on_behalf_of],
                "dated": self.dated.isoformat(), "officer": [self.officer, self.officer_role],
                "blocks": [b.as_json() for b in self.blocks], "policy": self.policy_version, "about": self.about}

    @property
    def fingerprint(self) -> str:
        """SHA-256 of what the letter shows (the signature and print size excluded)."""
        return fingerprint(self.shown)

    @property
    def letter_id(self) -> str:
        """SHA-256 of the letter, its signature and print size: the identifier on every page."""
        return fingerprint({"shown": self.shown, "signature": self.signature.as_json() if self.signature else None,
                            "version": __version__, "print": self.print_size})

    def with_signature(self, signature: LetterSignature | None) -> LetterData:
        return replace(self, signature=signature)

    def with_print_size(self, print_size: str | None) -> LetterData:
        if print_size is None:
            return self
        if print_size not in (STANDARD, LARGE):
            raise ValueError(f"unknown print size {print_size!r}; use {STANDARD} or {LARGE}")
        return replace(self, print_size=print_size)

    def text(self) -> str:
        """The letter's words in reading order (for tests and the contact log's summary)."""
        out = [self.title]
        for block in self.blocks:
            out += [block.text, *block.items, *(f"{a} {b}" for a, b in block.rows)]
        return "\n".join(t for t in out if t)
