"""Every page of a SQLCipher 4 database as plain bytes, read from the file and its write-ahead log
as a forensic look would read them with the key: free pages, old page images in the log and the
unused space inside pages included, which no SQL query shows. For the tests that check that erased
text is gone from the file, not only from the rows.

SQLCipher 4's page: AES-256-CBC over the page less its 80-byte reserve (IV 16, HMAC-SHA512 64), the
IV at the start of the reserve; page 1 starts with the file's 16-byte salt, not encrypted. The key
is a raw key, or derived from a passphrase by PBKDF2-HMAC-SHA512 with that salt."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16


def passphrase_key(path: Path, passphrase: str, kdf_iter: int) -> bytes:
    salt = Path(path).read_bytes()[:SALT]
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, kdf_iter, dklen=32)


def _plain(page: bytes, number: int, key: bytes) -> bytes:
    start = SALT if number == 1 else 0
    iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start:PAGE - RESERVE]) + decryptor.finalize()


def pages(path: Path, key: bytes) -> Iterator[bytes]:
    """The database file's pages, then every frame of its ``-wal``, decrypted."""
    data = Path(path).read_bytes()
    for index in range(len(data) // PAGE):
        yield _plain(data[index * PAGE:(index + 1) * PAGE], index + 1, key)
    wal = Path(f"{path}-wal")
    log = wal.read_bytes() if wal.exists() else b""
    offset = 32
    while offset + 24 + PAGE <= len(log):
        number = int.from_bytes(log[offset:offset + 4], "big")
        yield _plain(log[offset + 24:offset + 24 + PAGE], number, key)
        offset += 24 + PAGE


def holds(path: Path, key: bytes, text: str) -> bool:
    """Whether ``text`` (UTF-8) is anywhere in the file or its log, as decrypted."""
    needle = text.encode("utf-8")
    return any(needle in page for page in pages(path, key))
