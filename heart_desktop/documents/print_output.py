"""Sending finished PDFs to paper or to a file as PDF: the vectors the renderer drew, never a raster.

A print to a file writes the PDF itself (several packs joined into one file); a real printer gets
each PDF through CUPS ``lp``, which takes PDF natively. Progress is reported per pack and a cancel
is honoured between packs, so the caller can run this off the GUI thread with a Cancel button.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


class PrintError(Exception):
    """The printer or the file could not take the job; the message says why in words."""


class PrintCancelled(Exception):
    """The officer cancelled before every pack was sent."""


@dataclass(frozen=True)
class PrintTarget:
    """Where the pages go: a PDF file, or a CUPS queue (None for the default printer)."""

    file: Path | None = None
    printer: str | None = None
    copies: int = 1
    pages: tuple[int, int] | None = None  # first and last page to print, when not all
    title: str = "HEART application pack"


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader  # read when printing, not when the case opens

    return len(PdfReader(io.BytesIO(pdf)).pages)


def cups_available() -> bool:
    return shutil.which("lp") is not None


def send(pdfs: Sequence[bytes], target: PrintTarget, progress: Callable[[int, int], None] = lambda _d, _t: None,
         cancelled: Callable[[], bool] = lambda: False) -> int:
    """Send ``pdfs`` to ``target``; returns the pages sent. Raises PrintCancelled or PrintError."""
    total = len(pdfs)
    pages = 0
    if target.file is not None:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        for done, pdf in enumerate(pdfs, start=1):
            if cancelled():
                raise PrintCancelled()
            if total > 1:
                writer.append(PdfReader(io.BytesIO(pdf)))
            pages += page_count(pdf)
            progress(done, total)
        partial = target.file.with_name(target.file.name + ".part")
        try:
            with open(partial, "wb") as out:
                if total == 1:
                    out.write(pdfs[0])  # one pack: its own bytes, tags and all (joining drops the tags)
                else:
                    writer.write(out)
            os.replace(partial, target.file)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise PrintError(f"cannot write {target.file}: {exc.strerror or exc}") from None
        return pages
    if not cups_available():
        raise PrintError("this computer has no CUPS 'lp' command to send the PDF to a printer")
    command = ["lp", "-n", str(max(1, target.copies)), "-t", target.title]
    if target.printer:
        command += ["-d", target.printer]
    if target.pages:
        command += ["-P", f"{target.pages[0]}-{target.pages[1]}"]
    for done, pdf in enumerate(pdfs, start=1):
        if cancelled():
            raise PrintCancelled()
        result = subprocess.run([*command, "-"], input=pdf, capture_output=True, timeout=120, check=False)
        if result.returncode != 0:
            raise PrintError(f"the printer refused the job: {result.stderr.decode(errors='replace').strip()}")
        pages += page_count(pdf)
        progress(done, total)
    return pages
