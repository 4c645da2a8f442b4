"""Start-up benchmark: process start to a usable main window on a large store, against bare PySide6.

Run: .venv/bin/python bench/startup_bench.py --cases 50000 --runs 5
(QT_QPA_PLATFORM defaults to offscreen, so no display is needed; the same platform is used for
both programs being compared.)

Each run starts a fresh Python process and times, from just before the process is started:
  window    the main window shown and answering events (the unlock screen: the first thing an
            officer can use), compared with a bare PySide6 QMainWindow opened the same way;
  caseload  passphrase entered (SQLCipher's key derivation included) to the caseload showing its
            first page of the 50,000 cases; Enter is pressed once the window has loaded its form
            definitions and the caseload's and a case's modules in the background (from 300 ms
            after the first paint), as no officer types a passphrase sooner; that wait is printed;
  RSS       resident memory with the caseload open, and again after scrolling to the last row
            (pages are fetched on demand, so this stays flat).
Medians over the runs are printed, with the load average (other work on the machine shows in
every figure) and the CPU time each program used to reach its window; the two programs are
started in turn, so both meet the same load. Both run with cached bytecode, as an installed
application does; ``--from-source`` compiles our modules on every start instead. Budgets (DESIGN.md): window within
1.5x of bare PySide6; passphrase to caseload under 0.6 s; memory under 300 MB with 50,000 cases.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "bench passphrase"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_ms() -> float:
    """CPU time of this process since it started (all its threads; Python's start-up included): a
    second view beside the wall clock, not lengthened by waiting for a core another job holds."""
    return time.process_time() * 1000


# --- the two programs being timed (run in a child process) ---------------------------------------

def child_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView(window))
    window.resize(1280, 740)
    window.show()

    def shown() -> None:
        print(f"WINDOW {cpu_ms():.1f}", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
    app.exec()


def child_app(db: Path) -> None:
    from PySide6.QtCore import QTimer

    from heart_desktop.ui.app import start

    app, window, _temp = start(db)  # exactly what `heart-desktop gui` does before its event loop
    state = {"phase": "window"}

    def poll() -> None:
        caseload = window.caseload
        if state["phase"] == "window":
            print(f"WINDOW {cpu_ms():.1f}", flush=True)
            state["phase"] = "settling"
        elif state["phase"] == "settling":
            # an officer types the passphrase after the window has finished its start-up work (the
            # form definitions load in the background 300 ms after the first paint, then the
            # caseload's and a case's modules are imported one at a time): Enter is timed
            if not (window.warmed or window.forms_problem):
                QTimer.singleShot(2, poll)
                return
            print("TYPED", flush=True)
            page = window.passphrase_page
            page.passphrase.setText(PASSPHRASE)
            page.passphrase.returnPressed.emit()
            state["phase"] = "unlocking"
        elif state["phase"] == "unlocking":
            if caseload is not None and caseload.model.is_settled() and caseload.model.row_data(0) is not None:
                print(f"CASELOAD {caseload.model.total()} {rss_mb():.1f}", flush=True)
                caseload.table.scrollToBottom()
                state["phase"] = "scrolling"
        elif state["phase"] == "scrolling" and caseload is not None:
            last = caseload.model.total() - 1
            if caseload.model.row_data(last) is not None:
                print(f"SCROLLED {rss_mb():.1f}", flush=True)
                window.shutdown()
                app.quit()
                return
        QTimer.singleShot(2, poll)

    QTimer.singleShot(0, poll)
    app.exec()


# --- the parent: build the store once, time fresh processes ---------------------------------------

def build_store(path: Path, cases: int) -> None:
    from heart_desktop.store import Store
    from heart_desktop.store.demo import generate

    started = time.perf_counter()
    with Store.open(path, PASSPHRASE, officer="Bench", create=True) as store:
        generate(store, cases, seed=3)
    seconds, megabytes = time.perf_counter() - started, path.stat().st_size / 1e6
    print(f"store: {cases} demo cases built in {seconds:.1f} s ({megabytes:.0f} MB)")


def child_env(pycache: Path | None) -> dict[str, str]:
    """The children's environment. With ``pycache``, Python keeps compiled bytecode there for both
    programs, as an installed application has it (a wheel is compiled at install, the PyInstaller
    bundle ships bytecode, PySide6 in the venv already is); without it, our modules are compiled
    from source on every start, as in a checkout run with PYTHONDONTWRITEBYTECODE set."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


CHILD_ENV: dict[str, str] = {}


def timed(args: list[str]) -> dict[str, float]:
    env = CHILD_ENV
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, env=env)
    marks: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        now = time.perf_counter() - started
        word, *rest = line.split()
        if word == "WINDOW":
            marks["window"] = now
            marks["window_cpu"] = float(rest[0]) / 1000
        elif word == "TYPED":
            marks["typed"] = now
        elif word == "CASELOAD":
            marks["caseload"] = now
            marks["rows"] = float(rest[0])
            marks["rss"] = float(rest[1])
        elif word == "SCROLLED":
            marks["rss_scrolled"] = float(rest[0])
    if proc.wait() != 0:
        raise SystemExit(f"the timed program failed: {' '.join(args)}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path, help="reuse (or create) the bench store here")
    parser.add_argument("--from-source", action="store_true",
                        help="compile our modules from source on every start (no cached bytecode)")
    parser.add_argument("--child", choices=("bare", "app"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bare":
        child_bare()
        return 0
    if args.child == "app":
        child_app(args.store)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        store = args.store or Path(folder) / "startup.heartdb"
        if not store.exists():
            build_store(store, args.cases)
        CHILD_ENV.update(child_env(None if args.from_source else Path(folder) / "pycache"))
        timed(["--child", "bare"])  # warm the file cache (and the bytecode cache) for both programs alike
        timed(["--child", "app", "--store", str(store)])
        bares: list[dict[str, float]] = []
        runs: list[dict[str, float]] = []
        for _ in range(args.runs):  # taken in turn, so that both meet the same load on the machine
            bares.append(timed(["--child", "bare"]))
            runs.append(timed(["--child", "app", "--store", str(store)]))
        bare = [b["window"] for b in bares]
    window = statistics.median(r["window"] for r in runs)
    unlock = statistics.median(r["caseload"] - r["typed"] for r in runs)
    settled = statistics.median(r["typed"] - r["window"] for r in runs)
    bare_window = statistics.median(bare)
    print(f"platform: {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}, medians of {args.runs} runs, "
          f"{int(runs[0]['rows'])} cases, {'compiled from source' if args.from_source else 'cached bytecode'}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"bare PySide6 window:            {bare_window * 1000:7.0f} ms")
    print(f"HEART main window (unlock):     {window * 1000:7.0f} ms   ratio {window / bare_window:.2f}x")
    paired = statistics.median(r["window"] / b["window"] for b, r in zip(bares, runs, strict=True))
    print(f"... the ratio of each pair started one after the other, median: {paired:.2f}x "
          f"(the machine's speed drifts; a pair meets the same speed)")
    bare_cpu = statistics.median(b["window_cpu"] for b in bares)
    app_cpu = statistics.median(r["window_cpu"] for r in runs)
    print(f"... CPU time to it, bare / HEART: {bare_cpu * 1000:5.0f} / {app_cpu * 1000:.0f} ms   ratio "
          f"{app_cpu / bare_cpu:.2f}x")
    print(f"window to its start-up work done: {settled * 1000:7.0f} ms   (in the background; the passphrase is "
          "typed after)")
    print(f"passphrase to first caseload:   {unlock * 1000:7.0f} ms   (key derivation included)")
    print(f"resident memory, caseload open: {statistics.median(r['rss'] for r in runs):7.0f} MB")
    print(f"... after scrolling to the end: {statistics.median(r['rss_scrolled'] for r in runs):7.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
