"""Start the Qt application: one QApplication, the style, the exception hook, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from heart_desktop import __version__, paths
from heart_desktop.ui.errors import install_exception_hook

DEFAULT_LOCK_MINUTES = 10.0


def apply_style(app: QApplication) -> None:
    """Palette, focus ring, the roles of our own widgets, and the stylesheet sized from the app's font."""
    from heart_desktop.ui import accessible_roles, focus_style

    focus_style.install(app)
    accessible_roles.install()
    style = paths.resources_dir() / "styles" / "app.qss"
    if style.exists():
        app.setStyleSheet(focus_style.stylesheet(style.read_text(encoding="utf-8"), app.font().pointSizeF()))


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("HEART Desktop")
    app.setOrganizationName("HEART")
    app.setApplicationVersion(__version__)
    apply_style(app)
    icon = paths.resources_dir() / "icons" / "heart-desktop.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_exception_hook()
    from heart_desktop import logs

    logging.getLogger("heart_desktop").info("start version=%s log=%s", __version__, logs.configure())
    return app


def present(window: QWidget) -> None:
    """Show the main window and ask for the keyboard focus. Without it, on an X server with no
    window manager (Xvfb, a kiosk session) the window is never made active: typing still reaches it,
    but no Alt+letter or Alt+digit mnemonic fires (they are window shortcuts), so Alt+1 did not
    reach the Appeals tab. Under a window manager this is the ordinary activation request."""
    window.show()
    window.raise_()
    window.activateWindow()


def run(db_path: Path, lock_minutes: float = DEFAULT_LOCK_MINUTES, demo_hint: str | None = None,
        lease_days: int = 14) -> int:
    from heart_desktop.ui.main_window import MainWindow

    # previews and prints are made in memory; what a library or the print spooler must write as a
    # file goes to a private directory, emptied now (a crash's leftovers) and removed at exit
    temp = paths.open_private_temp()
    try:
        app = create_application()
        window = MainWindow(db_path, lock_minutes=lock_minutes, demo_hint=demo_hint, lease_days=lease_days)
        present(window)
        code = app.exec()
        window.shutdown()
    finally:
        paths.remove_private_temp(temp)
    return int(code)


def run_demo(db_path: Path) -> int:
    from heart_desktop.store import DEMO_PASSPHRASE

    return run(db_path, demo_hint=f"Demo store (synthetic cases): the passphrase is {DEMO_PASSPHRASE!r}.")
