"""What every headless verb shares: the store's path, the passphrase, opening the store, and the
plain failure (``CommandError``: a message and exit status 2, never a traceback).

The passphrase comes from ``HEART_PASSPHRASE`` or a prompt, never from the command line (it
would show in shell history and the process list).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from heart_desktop.errors import CommandError

PASSPHRASE_ENV = "HEART_PASSPHRASE"


def fail(message: str) -> CommandError:
    """The error a verb raises for a failure the user can put right; ``cli`` prints it."""
    return CommandError(message)


def passphrase(default: str | None = None, confirm: bool = False) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if default is not None:
        return default
    if not sys.stdin.isatty():
        raise fail(f"no passphrase: set {PASSPHRASE_ENV} or run in a terminal to be asked")
    value = getpass.getpass("Store passphrase: ")
    if confirm and getpass.getpass("Again: ") != value:
        raise fail("the passphrases do not match")
    return value


def db_path(flag: str | None) -> Path:
    from heart_desktop import paths

    return paths.resolve_db_path(flag)


def open_store(path: Path, passphrase: str, create: bool = False, check: bool = True) -> Any:
    """The store, or a plain failure saying why it did not open (the file untouched)."""
    from heart_desktop.store import OpenError, Store

    try:
        return Store.open(path, passphrase, officer=os.environ.get("USER", "admin"), create=create, check=check)
    except OpenError as exc:
        raise fail(str(exc)) from None


def read_json(source: str) -> Any:
    """A verb's JSON input from a file or ``-`` (standard input), or a plain failure saying why not."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read {source}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{source} is not valid JSON (line {exc.lineno}: {exc.msg})") from None


def today_from(text: str | None) -> date:
    """The edge of the program is the one place that reads the clock."""
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today: {text!r} is not a date; write it as YYYY-MM-DD", code=2) from None


# --- what the document verbs (pack, letter) share: their file arguments, the case, the files written ---


def add_output_arguments(parser: argparse.ArgumentParser, html_help: str) -> None:
    """``--out FILE.pdf`` and ``--html FILE.html``: at least one must be given (:func:`need_output`)."""
    parser.add_argument("--out", metavar="FILE.pdf", help="the PDF file to write")
    parser.add_argument("--html", metavar="FILE.html", help=html_help)


def add_print_size(parser: argparse.ArgumentParser, large_help: str) -> None:
    """``--large-print`` or ``--standard-print`` (``args.print_size``), for this file only."""
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--large-print", dest="print_size", action="store_const", const="large", help=large_help)
    size.add_argument("--standard-print", dest="print_size", action="store_const", const="standard",
                      help="standard print (11 pt), whatever the case remembers")


def need_output(out: str | None, html: str | None, what: str) -> None:
    if not out and not html:
        raise fail(f"say where to write the {what}: --out FILE.pdf, --html FILE.html, or both")


def case_by_reference(store: Any, reference: str) -> dict[str, Any]:
    """The case of a reference, or a plain failure naming it."""
    from heart_desktop.store import NotFoundError

    try:
        return store.cases.by_reference(reference)
    except NotFoundError:
        raise fail(f"there is no case {reference}") from None


def write_outputs(out: str | Path | None, pdf: bytes, html_out: str | Path | None, html: str) -> None:
    """Write the PDF and the HTML copy (each only when asked for), or a plain failure saying which
    file could not be written and why."""
    try:
        if out:
            Path(out).expanduser().write_bytes(pdf)
        if html_out:
            Path(html_out).expanduser().write_text(html, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {exc.filename}: {exc.strerror}") from None
