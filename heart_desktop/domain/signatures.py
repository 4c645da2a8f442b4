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
