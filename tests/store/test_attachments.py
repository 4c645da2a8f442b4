"""Attachments: images only, SHA-256 addressed, de-duplicated, big photos downscaled; documents."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

import pytest
from PIL import Image

from heart_desktop.store import AttachmentError, Store
from heart_desktop.store.attachments import PhotoLimits


def picture(width: int, height: int, fmt: str = "JPEG", colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 7):  # some detail so JPEG is not trivially tiny
        image.putpixel((x, (x * 13) % height), (x % 255, 90, 200))
    image.save(out, format=fmt)
    return out.getvalue()


def test_photo_round_trip_and_dedup(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    data = picture(640, 480)
    first = store.attachments.add(case_id, data, filename="kitchen.jpg", caption="Kitchen")
    again = store.attachments.add(case_id, data, filename="kitchen-copy.jpg")
    assert again == first
    other_case = make_case(store, family="Other")
    store.attachments.add(other_case, data)
    assert store.counts()["blobs"] == 1
    row = store.attachments.get(first)
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert (row["width"], row["height"], row["mime"]) == (640, 480, "image/jpeg")
    assert store.attachments.content(first) == data
    thumb = Image.open(io.BytesIO(store.attachments.thumbnail(first, 128)))
    assert max(thumb.size) == 128
    assert store.attachments.thumbnail(first, 128) == store.attachments.thumbnail(first, 128)  # cached


def test_big_photo_is_downscaled(store: Store, make_case: Callable[..., str]) -> None:
    store.attachments.limits = PhotoLimits(max_bytes=10_000_000, max_pixels=800)
    case_id = make_case(store)
    attachment = store.attachments.add(case_id, picture(3000, 2000, "PNG"))
    row = store.attachments.get(attachment)
    assert (row["width"], row["height"], row["mime"]) == (800, 533, "image/jpeg")
    stored = store.attachments.content(attachment)
    assert Image.open(io.BytesIO(stored)).size == (800, 533)
    assert row["sha256"] == hashlib.sha256(stored).hexdigest()


def test_signature_png_kept_as_is(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    data = picture(600, 200, "PNG", (255, 255, 255))
    attachment = store.attachments.add(case_id, data, kind="signature")
    assert store.attachments.content(attachment) == data


@pytest.mark.parametrize("data", [b"%PDF-1.7 not a photo", b"just some text", b"", b"\xff\xd8\xff\xe0broken jpeg"])
def test_non_images_refused(store: Store, make_case: Callable[..., str], data: bytes) -> None:
    case_id = make_case(store)
    with pytest.raises(AttachmentError, match="not a picture"):
        store.attachments.add(case_id, data, filename="thing.bin")
    assert store.counts()["attachments"] == 0 and store.counts()["blobs"] == 0


def test_documents_keep_their_hash(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    pdf = b"%PDF-1.4\n% application pack\n%%EOF\n"
    first = store.documents.add(case_id, "application_pack", "Application pack", pdf)
    second = store.documents.add(case_id, "application_pack", "Application pack", pdf + b"\n", signed=True)
    assert store.documents.get(first)["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert store.documents.content(first) == pdf
    latest = store.documents.latest(case_id, "application_pack")
    assert latest is not None and (latest["id"], latest["version"], latest["signed"]) == (second, 2, True)
    with pytest.raises(AttachmentError):
        store.documents.add(case_id, "x", "Not a PDF", b"hello")
