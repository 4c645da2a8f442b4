"""The one entry point: the GUI by default, plus headless verbs.

Each area contributes its verbs through an ``add_commands(subparsers)`` function in a module of
``verbs`` (``ui.commands`` for the GUI); this file only assembles them and turns expected
failures into a plain message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import sys
from collections.abc import Sequence

from heart_desktop import __version__
from heart_desktop.errors import CommandError

# Modules that contribute verbs; each has add_commands(subparsers). A module that does not
# exist yet is skipped, so areas can land one at a time.
COMMAND_MODULES: tuple[str, ...] = (
    "heart_desktop.launch",
    "heart_desktop.verbs.assessment",
    "heart_desktop.verbs.means_test",
    "heart_desktop.verbs.stores",
    "heart_desktop.verbs.cases",
    "heart_desktop.ui.commands",
    "heart_desktop.verbs.documents",
    "heart_desktop.verbs.letters",
    "heart_desktop.verbs.appeals",
    "heart_desktop.verbs.appeal_report",
    "heart_desktop.verbs.sync",
    "heart_desktop.verbs.audit",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="heart-desktop",
        description="HEART Desktop: home visits, HHSRS, eligibility and application packs.",
    )
    parser.add_argument("--version", action="version", version=f"heart-desktop {__version__}")
    parser.add_argument("--self-check", action="store_true",
                        help="check this installation headless (store, forms, policy, a demo pack) and exit; "
                             "the exit status is the number of failed checks")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # the module (or the package it would live in) is not there: an area not in this build
            if exc.name is None or not (name == exc.name or name.startswith(f"{exc.name}.")):
                raise
            continue
        module.add_commands(subparsers)
    return parser


def with_default_verb(argv: Sequence[str]) -> list[str]:
    """``heart-desktop --db PATH`` means ``heart-desktop gui --db PATH``: options of the default verb."""
    argv = list(argv)
    if argv and argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version", "--self-check"):
        return ["gui", *argv]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(with_default_verb(sys.argv[1:] if argv is None else argv))
    if args.self_check:
        from heart_desktop.selfcheck import self_check

        return self_check()
    handler = getattr(args, "handler", None)
    if handler is None:
        if "gui" in parser._subparsers._group_actions[0].choices:  # type: ignore[union-attr]
            args = parser.parse_args(["gui", *(argv or sys.argv[1:])])
            handler = args.handler
        else:
            parser.print_help()
            return 0
    log = _verb_log(args.command or "gui")
    try:
        code = int(handler(args) or 0)
    except CommandError as exc:
        print(f"heart-desktop: {exc}", file=sys.stderr)
        log.info("verb=%s exit=%d refused", args.command, exc.code)  # the message can quote input: not logged
        return exc.code
    except KeyboardInterrupt:
        print("heart-desktop: interrupted", file=sys.stderr)
        return 130
    except Exception:
        log.exception("verb=%s failed", args.command)
        raise
    log.info("verb=%s exit=%d", args.command, code)
    return code


def _verb_log(command: str) -> logging.Logger:
    """The process's one log for a headless verb (the GUI configures its own as it starts); a log
    folder that cannot be written never stops the verb."""
    log = logging.getLogger("heart_desktop.verbs")
    if command != "gui":
        from heart_desktop import logs

        with contextlib.suppress(OSError):
            logs.configure()
    return log


if __name__ == "__main__":
    raise SystemExit(main())
