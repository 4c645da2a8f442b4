"""Unexpected errors become a calm dialog that says the work is safe, never a silent crash."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from heart_desktop.ui.messages import Icon, message_box

log = logging.getLogger("heart_desktop")


def log_unexpected_error(error: BaseException, trace: str = "") -> None:
    """The type and where it happened, not the message: a message can quote what the officer typed."""
    frames = trace.split("\n")
    stack = "\n".join(line for line in frames if line.startswith("  File ") or line.startswith("Traceback"))
    log.error("unexpected error type=%s\n%s", type(error).__name__, stack)


def unexpected_error_box(error: BaseException, trace: str = "") -> QMessageBox:
    """The calm box for an unexpected error (made here so the accessibility test can open it)."""
    box = message_box(None, Icon.Critical, "Something went wrong",
                      "HEART Desktop hit an unexpected problem. Everything you saved is safe in "
                      "the encrypted store, and drafts are saved as you type.\n\n"
                      f"What happened: {error}")
    box.setDetailedText(trace)
    box.setAccessibleName("Unexpected error")
    return box


def show_unexpected_error(error: BaseException, trace: str = "") -> None:
    log_unexpected_error(error, trace)
    if QApplication.instance() is None:
        return
    unexpected_error_box(error, trace).exec()


def install_exception_hook() -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        show_unexpected_error(value, "".join(traceback.format_exception(kind, value, tb)))

    sys.excepthook = hook
