"""GUI verbs: ``gui`` (the default) and ``screenshots`` (the screenshot tour)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    gui = subparsers.add_parser("gui", help="open the application (the default)")
    gui.add_argument("--db", help="store file (default: $HEART_DB, then your profile's store)")
    gui.add_argument("--profile", default="default", help="officer profile name (default: default)")
    gui.add_argument("--lock-minutes", type=float, default=None,
                     help="lock after this many idle minutes (default 10)")
    gui.add_argument("--lease-days", type=int, default=14,
                     help="days without reaching the office after which the laptop signs in again before "
                          "showing case data (0: never; default 14)")
    gui.set_defaults(handler=_gui)

    shots = subparsers.add_parser("screenshots", help="save a PNG of each main screen (run under Xvfb)")
    shots.add_argument("--db", help="demo store to show (created if missing)")
    shots.add_argument("--out", default="screenshots", help="folder for the PNG files")
    shots.add_argument("--scale", type=float, default=None,
                       help="display scale, as QT_SCALE_FACTOR (1.5 is 150%%; default: the display's own)")
    shots.add_argument("--font-pt", type=float, default=None,
                       help="application font size in points, as a system font setting would give (e.g. 16)")
    shots.add_argument("--json", action="store_true", help="print what was saved as JSON")
    shots.set_defaults(handler=_screenshots)


def _gui(args: argparse.Namespace) -> int:
    from heart_desktop import paths
    from heart_desktop.ui.app import DEFAULT_LOCK_MINUTES, run

    db_path = paths.resolve_db_path(args.db, profile=args.profile)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return run(db_path, lock_minutes=args.lock_minutes or DEFAULT_LOCK_MINUTES, lease_days=args.lease_days)


def _screenshots(args: argparse.Namespace) -> int:
    from heart_desktop import paths
    from heart_desktop.ui.screenshot_tour import take_tour

    for value, name in ((args.scale, "--scale"), (args.font_pt, "--font-pt")):
        if value is not None and not 0.5 <= value <= (4 if name == "--scale" else 48):
            print(f"{name} {value:g} is out of range (scale 0.5 to 4, font 0.5 to 48 pt); nothing was saved.",
                  file=sys.stderr)
            return 2
    if args.scale is not None:  # read by Qt when the application starts, so set before it does
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
    db_path = Path(args.db) if args.db else paths.profile_db_path(paths.DEMO_PROFILE)
    saved, screen = take_tour(db_path, Path(args.out), font_pt=args.font_pt)
    if args.json:
        print(json.dumps({"saved": [str(path) for path in saved], "count": len(saved), "scale": args.scale,
                          "font_pt": args.font_pt, "screen": screen}, indent=1))
        return 0
    for path in saved:
        print(path)
    return 0
