"""``heart-desktop demo-start``: the README's first command lands here.

It makes sure the demo store exists (synthetic cases only, under the platform data directory)
and opens the application on it.
"""

from __future__ import annotations

import argparse
import importlib.util

from heart_desktop import paths

DEFAULT_DEMO_CASES = 2000


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo-start", help="open the application on the demo store")
    parser.add_argument("--cases", type=int, default=DEFAULT_DEMO_CASES,
                        help="how many synthetic cases to create the first time")
    parser.set_defaults(handler=_demo_start)


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _demo_start(args: argparse.Namespace) -> int:
    db_path = paths.profile_db_path(paths.DEMO_PROFILE)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Demo store: {db_path}")
    if not _available("heart_desktop.store.demo"):
        print("The encrypted store is not built yet: nothing to open.")
        return 0
    from heart_desktop.store import demo

    demo.ensure_demo_store(db_path, cases=args.cases)
    if not _available("heart_desktop.ui.app"):
        print("The desktop window is not built yet; the demo store is ready.")
        return 0
    from heart_desktop.ui import app

    return app.run_demo(db_path)
