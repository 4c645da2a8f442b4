"""Photos, signatures and generated documents, kept inside the encrypted store.

Bytes live once in ``blobs`` under their SHA-256 (so the same photo attached twice is stored
once); the journalled ``attachments`` and ``documents`` rows point at them. On import a photo
larger than the configured limits is downscaled and re-encoded as JPEG (EXIF orientation
applied, metadata such as GPS dropped); anything Pillow cannot read as an image is refused.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heart_desktop.store.errors import AttachmentError, NotFoundError, StoreError
from heart_desktop.store.repository import Repository
from heart_desktop.store.schema import ATTACHMENT, DOCUMENT

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "BMP": "image/bmp",
                 "GIF": "image/gif", "TIFF": "image/tiff", "MPO": "image/jpeg"}


@dataclass(frozen=True)
class PhotoLimits:
    """A photo over either limit is downscaled on import."""

    max_bytes: int = 1_500_000
    max_pixels: int = 2048  # longest side
    jpeg_quality: int = 85


@dataclass(frozen=True)
class Image:
    data: bytes
    mime: str
    width: int
    height: int


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare_image(data: bytes, limits: PhotoLimits, kind: str = "photo") -> Image:
    """Check the bytes are an image; downscale a photo that is over the limits."""
    from PIL import Image as PILImage
    from PIL import ImageOps, UnidentifiedImageError

    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            probe.verify()
        picture = PILImage.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise AttachmentError("That file is not a picture HEART Desktop can read. Only photos and signature "
                              "images (JPEG, PNG and the like) can be attached; attach documents as PDF "
                              "through the documents list.") from exc
    fmt = picture.format or ""
    mime = IMAGE_FORMATS.get(fmt)
    if mime is None:
        raise AttachmentError(f"{fmt or 'This'} images cannot be attached; use a JPEG or PNG.")
    too_big = len(data) > limits.max_bytes or max(picture.size) > limits.max_pixels
    if kind != "photo" or not too_big:
        return Image(data, mime, picture.width, picture.height)
    picture = ImageOps.exif_transpose(picture)
    picture.thumbnail((limits.max_pixels, limits.max_pixels))
    if picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=limits.jpeg_quality, optimize=True)
    return Image(out.getvalue(), "image/jpeg", picture.width, picture.height)


PENDING_MIME = "application/x-heart-pending"  # a row arrived by sync before its file did


class _Blobs:
    def __init__(self, store: Store) -> None:
        self.store = store

    def put(self, data: bytes, mime: str, width: int | None = None, height: int | None = None) -> str:
        digest = sha256(data)
        self.store.conn.execute(
            "INSERT OR IGNORE INTO blobs (sha256, mime, size, width, height, created_at, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (digest, mime, len(data), width, height, datetime.now(UTC).isoformat(timespec="seconds"), data),
        )
        return digest

    def size(self, digest: str) -> int:
        """The stored length in bytes (0 for unknown content), without reading the content."""
        row = self.store.conn.execute("SELECT size FROM blobs WHERE sha256 = ?", (digest,)).fetchone()
        return int(row[0]) if row else 0

    def get(self, digest: str) -> bytes:
        row = self.store.conn.execute("SELECT data, mime FROM blobs WHERE sha256 = ?", (digest,)).fetchone()
        if row is None:
            raise NotFoundError(f"no content {digest}")
        if row[1] == PENDING_MIME:
            raise NotFoundError("this file has not arrived from the office yet; it comes with the next sync")
        data = bytes(row[0])
        if sha256(data) != digest:
            raise StoreError(f"stored content {digest[:12]} does not match its hash")
        return data


class Attachments(Repository):
    def __init__(self, store: Store, limits: PhotoLimits | None = None) -> None:
        super().__init__(store, ATTACHMENT)
        self.limits = limits or PhotoLimits()
        self.blobs = _Blobs(store)

    def add(self, case_id: str, data: bytes | str | Path, kind: str = "photo", filename: str | None = None,
            caption: str | None = None, taken_at: str | None = None) -> str:
        """Attach an image to a case; the same picture on the same case is attached once."""
        if kind not in ("photo", "signature"):
            raise AttachmentError(f"unknown attachment kind {kind!r}")
        if isinstance(data, str | Path):
            path = Path(data)
            filename = filename or path.name
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise AttachmentError(f"Cannot read {path}: {exc.strerror}") from exc
        image = prepare_image(data, self.limits, kind)
        with self.store.transaction():
            digest = self.blobs.put(image.data, image.mime, image.width, image.height)
            existing = self.where("case_id = ? AND sha256 = ?", (case_id, digest))
            if existing:
                return str(existing[0]["id"])
            return self.insert({"case_id": case_id, "sha256": digest, "kind": kind, "filename": filename,
                                "caption": caption, "mime": image.mime, "width": image.width,
                                "height": image.height, "size": len(image.data), "taken_at": taken_at})

    def content(self, attachment_id: str) -> bytes:
        return self.blobs.get(self.get(attachment_id)["sha256"])

    def thumbnail(self, attachment_id: str, size: int = 256) -> bytes:
        """A JPEG no larger than ``size`` pixels a side, cached in the store."""
        from PIL import Image as PILImage
        from PIL import ImageOps

        digest = self.get(attachment_id)["sha256"]
        row = self.store.conn.execute("SELECT data FROM thumbnails WHERE sha256 = ? AND size = ?",
                                      (digest, size)).fetchone()
        if row is not None:
            return bytes(row[0])
        picture = ImageOps.exif_transpose(PILImage.open(io.BytesIO(self.blobs.get(digest))))
        picture.thumbnail((size, size))
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=80)
        with self.store.transaction():
            self.store.conn.execute("INSERT OR REPLACE INTO thumbnails (sha256, size, data) VALUES (?, ?, ?)",
                                    (digest, size, out.getvalue()))
        return out.getvalue()


class Documents(Repository):
    """Generated PDFs: stored bytes plus their SHA-256, so a signed pack can be proven unchanged."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, DOCUMENT)
        self.blobs = _Blobs(store)

    def add(self, case_id: str, kind: str, title: str, pdf: bytes, signed: bool = False,
            extra: Mapping[str, Any] | None = None) -> str:
        """A new version of a document; ``extra`` fields go in the same row (a signed pack is one
        insert, whole: the office refuses a later change to a signed pack)."""
        if not pdf.startswith(b"%PDF"):
            raise AttachmentError("Only PDF documents can be stored.")
        with self.store.transaction():
            digest = self.blobs.put(pdf, "application/pdf")
            row = self.store.conn.execute("SELECT max(version) FROM documents WHERE case_id = ? AND kind = ?",
                                          (case_id, kind)).fetchone()
            version = int(row[0] or 0) + 1
            return self.insert({"case_id": case_id, "kind": kind, "title": title, "version": version,
                                "sha256": digest, "size": len(pdf), "signed": signed,
                                "created_at": datetime.now(UTC).isoformat(timespec="seconds"), **(extra or {})})

    def content(self, document_id: str) -> bytes:
        return self.blobs.get(self.get(document_id)["sha256"])

    def latest(self, case_id: str, kind: str) -> dict[str, Any] | None:
        rows = self.where("case_id = ? AND kind = ?", (case_id, kind), order_by="version DESC", limit=1)
        return rows[0] if rows else None
