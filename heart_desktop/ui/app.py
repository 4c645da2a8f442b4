"""Start the Qt application: one QApplication, the style, the exception hook, the main window.

The unlock window is drawn first; the log file, the private temporary folder, the focus ring and
the idle lock's watch follow its first paint (:mod:`heart_desktop.ui.first_paint`), as does the
start line in the log.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from heart_desktop import __version__, paths
from heart_desktop.ui.errors import install_exception_hook

if TYPE_CHECKING:
    from heart_desktop.ui.main_window import MainWindow

DEFAULT_LOCK_MINUTES = 10.0


def apply_style(app: QApplication) -> None:
    """Palette, the roles of our own widgets, and the stylesheet sized from the app's font (the
    focus ring comes after the first paint: :func:`after_start`)."""
    from heart_desktop.ui import accessible_roles, focus_style

    focus_style.install_palette(app)
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
    return app


def configure_logging() -> None:
    """The process's log file, and its first line."""
    import logging

    from heart_desktop import logs

    logging.getLogger("heart_desktop").info("start version=%s log=%s", __version__, logs.configure())


def after_start(app: QApplication) -> None:
    """What every window of the application needs soon but not for its first paint."""
    from heart_desktop.ui import focus_ring

    focus_ring.install(app)
    configure_logging()


def present(window: QWidget) -> None:
    """Show the main window and ask for the keyboard focus. Without it, on an X server with no
    window manager (Xvfb, a kiosk session) the window is never made active: typing still reaches it,
    but no Alt+letter or Alt+digit mnemonic fires (they are window shortcuts), so Alt+1 did not
    reach the Appeals tab. Under a window manager this is the ordinary activation request."""
    window.show()
    window.raise_()
    window.activateWindow()


def start(db_path: Path, lock_minutes: float = DEFAULT_LOCK_MINUTES, demo_hint: str | None = None,
          lease_days: int = 14) -> tuple[QApplication, MainWindow, list[Path]]:
    """The application and its main window, shown; the start-up bench times exactly this. The
    list receives the private temporary folder once it is open (after the first paint)."""
    from heart_desktop.ui.first_paint import after_first_paint
    from heart_desktop.ui.main_window import MainWindow

    app = create_application()
    window = MainWindow(db_path, lock_minutes=lock_minutes, demo_hint=demo_hint, lease_days=lease_days)
    temp: list[Path] = []

    def deferred() -> None:
        after_start(app)
        # previews and prints are made in memory; what a library or the print spooler must write
        # as a file goes to a private directory, emptied now (a crash's leftovers) and removed at exit
        temp.append(paths.open_private_temp())

    after_first_paint(window, deferred)
    present(window)
    return app, window, temp


def run(db_path: Path, lock_minutes: float = DEFAULT_LOCK_MINUTES, demo_hint: str | None = None,
        lease_days: int = 14) -> int:
    temp: list[Path] = []
    try:
        app, window, temp = start(db_path, lock_minutes=lock_minutes, demo_hint=demo_hint, lease_days=lease_days)
        code = app.exec()
        window.shutdown()
    finally:
        for folder in temp:
            paths.remove_private_temp(folder)
    return int(code)


def run_demo(db_path: Path) -> int:
    from heart_desktop.store import DEMO_PASSPHRASE

    return run(db_path, demo_hint=f"Demo store (synthetic cases): the passphrase is {DEMO_PASSPHRASE!r}.")
