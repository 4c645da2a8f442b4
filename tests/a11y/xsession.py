"""A private X server (Xvfb) and session D-Bus for the AT-SPI tests: the accessibility bus and its
registry are started by D-Bus activation (at-spi2-core's service files) when Qt asks for them."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SYSTEM_PYTHON = os.environ.get("HEART_ATSPI_PYTHON", "/usr/bin/python3")


def missing_tools() -> str | None:
    """Why the AT-SPI test cannot run here (None when it can)."""
    for tool in ("Xvfb", "dbus-daemon"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (scripts/setup.sh test installs it)"
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        return "at-spi2-core is not installed (scripts/setup.sh test installs it)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False)
    if probe.returncode != 0:
        return f"python3-pyatspi is not installed for {SYSTEM_PYTHON} (scripts/setup.sh test installs it)"
    return None


@contextmanager
def x_and_dbus(width: int = 1366, height: int = 768) -> Iterator[dict[str, str]]:
    """The environment for a Qt process that talks AT-SPI: DISPLAY, DBUS_SESSION_BUS_ADDRESS, and
    Qt told to use X and to keep its accessibility bridge on."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten",
                             "tcp"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        display = pipe.readline().strip()
    # a private runtime directory: the accessibility bus launcher (started by D-Bus activation, with the
    # daemon's environment) keeps its socket there, so another session of the same user ending (another
    # test run on the machine) cannot remove it from under this one, as it could in ~/.cache/at-spi
    runtime = tempfile.mkdtemp(prefix="heart-a11y-run-")
    private = {**os.environ, "XDG_RUNTIME_DIR": runtime, "DISPLAY": f":{display}"}
    dbus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=private)
    assert dbus.stdout is not None
    address = dbus.stdout.readline().strip()
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    env.update({"XDG_RUNTIME_DIR": runtime, "DISPLAY": f":{display}", "DBUS_SESSION_BUS_ADDRESS": address,
                "QT_QPA_PLATFORM": "xcb",
                "QT_ACCESSIBILITY": "1", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "NO_AT_BRIDGE": "0",
                "GTK_MODULES": ""})
    try:
        yield env
    finally:
        for process in (dbus, xvfb):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(runtime, ignore_errors=True)
