"""``heart-desktop demo-start``: the README's first command lands here.

It makes sure the demo store exists (synthetic cases only, under the platform data directory)
and opens the application on it.
"""

from __future__ import annotations

import argparse
import os

from heart_desktop import paths


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo-start", help="open the application on the demo store")
    parser.add_argument("--cases", type=int, default=2000,
                        help="how many synthetic cases to create the first time")
    parser.set_defaults(handler=_demo_start)


def _demo_start(args: argparse.Namespace) -> int:
    db_path = paths.profile_db_path(paths.DEMO_PROFILE)
    print(f"Demo store: {db_path}")
    from heart_desktop.documents.demo_packs import ensure_demo_store

    if ensure_demo_store(db_path, cases=args.cases):
        print(f"Created {args.cases} synthetic cases.")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        print("No display: the demo store is ready. On a desktop, run: .venv/bin/heart-desktop demo-start\n"
              "To see the screens without a display: xvfb-run -a .venv/bin/heart-desktop screenshots --out shots")
        return 0
    from heart_desktop.ui import app

    return app.run_demo(db_path)
