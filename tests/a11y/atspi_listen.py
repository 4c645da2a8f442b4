"""Listen on the AT-SPI bus, as Orca does, for announcements (``object:announcement``) from one
process, and print each as a JSON line. Run with the system Python (pyatspi):
``/usr/bin/python3 atspi_listen.py <pid> <seconds>``; prints ``listening`` once registered."""

from __future__ import annotations

import json
import sys

import pyatspi  # type: ignore[import-not-found]
from gi.repository import GLib  # type: ignore[import-not-found]


def main() -> int:
    pid, seconds = int(sys.argv[1]), int(sys.argv[2])

    def heard(event: object) -> None:
        try:
            source_pid = event.source.get_process_id()  # type: ignore[attr-defined]
        except Exception:
            source_pid = None
        if source_pid in (pid, None):
            print(json.dumps({"type": event.type, "text": str(event.any_data)}), flush=True)  # type: ignore[attr-defined]

    pyatspi.Registry.registerEventListener(heard, "object:announcement")
    print("listening", flush=True)
    GLib.timeout_add_seconds(seconds, lambda: pyatspi.Registry.stop())
    pyatspi.Registry.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
