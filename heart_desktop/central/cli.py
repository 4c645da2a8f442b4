"""``heart-central``: the central office server's command line.

The server itself (``serve``, officers, enrolment codes, revocation) comes with the sync work;
until then this entry point only answers ``--version`` and says what is not there yet.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from heart_desktop import __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="heart-central", description="HEART central office server.")
    parser.add_argument("--version", action="version", version=f"heart-central {__version__}")
    parser.parse_args(argv)
    print("heart-central: the central office server is not part of this version yet; "
          "HEART Desktop works fully offline meanwhile.", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
