"""What a drawn signature's answer cites: the SHA-256 of its strokes, the same on the pad, in the
demo and in the pack."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence


def signature_digest(strokes: Sequence[Sequence[Sequence[float]]]) -> str:
    """The SHA-256 of a signature's strokes (0..1 pad coordinates, 4 places): what the answer cites."""
    canonical = json.dumps([[[round(float(x), 4), round(float(y), 4)] for x, y in s] for s in strokes],
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# How a person gave their signature, as the law lets it be given: drawn on the pad, a mark
# (witnessed), their name typed for them and witnessed by the officer, or on paper, the signed
# page scanned or photographed into the case. Each is recorded as such and printed as such.
DRAWN, MARK, TYPED, ON_PAPER = "drawn", "mark", "typed_witnessed", "on_paper"
METHODS: dict[str, str] = {
    DRAWN: "signed on the pad",
    MARK: "made their mark, witnessed",
    TYPED: "typed name, witnessed by the officer",
    ON_PAPER: "signed on paper, the signed page kept with the case",
}


class SignatureError(ValueError):
    """A signature that is not complete for the way it was given; the message says what is missing."""


def check_signature(method: str, who: str, has_strokes: bool, witness: str, witnessed: bool,
                    evidence: str) -> None:
    """What each way of signing needs: strokes for a drawn one or a mark; a witness who confirmed
    for a mark and a typed name; the photo or scan of the signed page for one on paper."""
    if method not in METHODS:
        raise SignatureError(f"unknown way of signing {method!r}; use one of {', '.join(METHODS)}")
    if method in (DRAWN, MARK) and not has_strokes:
        raise SignatureError(f"The {who}'s signature is empty: sign in the box"
                             + (" (the mark)." if method == MARK else "."))
    if method in (MARK, TYPED):
        if not witness.strip():
            raise SignatureError(f"The {who}'s signature needs the name of the officer who witnessed it.")
        if not witnessed:
            raise SignatureError(f"The witness must confirm they saw the {who} agree to sign.")
    if method == ON_PAPER and not evidence:
        raise SignatureError(f"Choose the photo or scan of the page the {who} signed on paper.")


def signed_in_words(name: str, when: str, method: str, witness: str) -> str:
    """'Signed by … on …', with how: what a screen reader and the audit say of a signature."""
    said = f"Signed by {name or 'the signer'}" + (f" on {when}" if when else "")
    if method == DRAWN:
        return said
    if method == TYPED:
        return f"{said} (name typed, witnessed by {witness})"
    if method == MARK:
        return f"{said} (made their mark, witnessed by {witness})"
    return f"{said} (on paper: the signed page is kept with the case)"
