"""``heart-desktop demo-start``: the README's first command lands here.

It makes sure the demo store exists (synthetic cases only, under the platform data directory)
and opens the application on it.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from heart_desktop import paths

DEFAULT_DEMO_CASES = 2000


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo-start", help="open the application on the demo store")
    parser.add_argument("--cases", type=int, default=DEFAULT_DEMO_CASES,
                        help="how many synthetic cases to create the first time")
    parser.set_defaults(handler=_demo_start)


def ensure_demo_store(db_path: Path, cases: int = DEFAULT_DEMO_CASES) -> bool:
    """Create the demo store with synthetic cases unless it exists; True when it was created."""
    from heart_desktop.store import DEMO_PASSPHRASE, Store, demo

    if db_path.exists():
        return False
    db_path.parent.mkdir(parents=True, exist_ok=True)
    partial = db_path.with_name(db_path.name + ".creating")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    with Store.open(partial, DEMO_PASSPHRASE, officer="Demo officer", create=True) as store:
        # made for today, so the caseload opens on today's visits
        demo.generate(store, cases, as_of=date.today())
        from heart_desktop.documents.demo_packs import sign_demo_packs

        sign_demo_packs(store)  # a few signed packs for the Documents tab and the print queue
    partial.rename(db_path)  # only a finished store ever has the real name
    return True


def _demo_start(args: argparse.Namespace) -> int:
    db_path = paths.profile_db_path(paths.DEMO_PROFILE)
    print(f"Demo store: {db_path}")
    if ensure_demo_store(db_path, cases=args.cases):
        print(f"Created {args.cases} synthetic cases.")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        print("No display: the demo store is ready. On a desktop, run: .venv/bin/heart-desktop demo-start\n"
              "To see the screens without a display: xvfb-run -a .venv/bin/heart-desktop screenshots --out shots")
        return 0
    from heart_desktop.ui import app

    return app.run_demo(db_path)
