"""Sync over TLS: a council that runs its own certificate authority gives the laptop its CA bundle;
without it the office's certificate is refused in plain words, with it enrolment and sync work,
and the bundle is remembered for later syncs. All on 127.0.0.1 with a throwaway CA."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sync_server import FAST_KDF, PASSPHRASE, Server

from heart_desktop.store import Store
from heart_desktop.sync.client import SyncError, enrol, sync_once


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_ca_and_server_cert(folder: Path) -> tuple[Path, Path, Path]:
    """(server certificate, its key, the CA bundle), the certificate valid for 127.0.0.1."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Test council CA")).issuer_name(_name("Test council CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "server.pem", folder / "server.key", folder / "council-ca.pem"
    paths[0].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    paths[2].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return paths


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[Server]:
    server = Server(f"sqlite:///{tmp_path / 'central.sqlite'}", tls=make_ca_and_server_cert(tmp_path))
    server.start()
    server.service.add_officer("A. Okafor", "HAO", ["WDC"])
    yield server
    server.stop()


def test_the_councils_ca_bundle_is_needed_and_remembered(tls_server: Server, tmp_path: Path) -> None:
    assert tls_server.url.startswith("https://") and tls_server.tls is not None
    ca_bundle = str(tls_server.tls[2])
    with Store.open(tmp_path / "laptop.heartdb", PASSPHRASE, officer="A. Okafor", create=True,
                    kdf_iter=FAST_KDF) as store:
        store.cases.create("WDC", enquiry_on=date(2026, 11, 2))
        code = tls_server.service.enrol_code("A. Okafor")
        with pytest.raises(SyncError, match="certificate is not one this laptop trusts"):
            enrol(store, tls_server.url, code)
        with pytest.raises(SyncError, match="cannot be read as certificates"):
            enrol(store, tls_server.url, code, ca_bundle=str(tmp_path / "server.key"))
        enrol(store, tls_server.url, code, ca_bundle=ca_bundle)  # the code was not used up by the refusals
        report = sync_once(store)  # the bundle was kept with the enrolment
        assert report.pushed > 0 and report.pulled == report.pushed


def test_heart_central_serves_https_itself(tmp_path: Path) -> None:
    import os
    import ssl
    import subprocess
    import sys
    import time

    import httpx
    from sync_server import free_port

    cert, key, ca_bundle = make_ca_and_server_cert(tmp_path)
    port = free_port()
    serving = subprocess.Popen([sys.executable, "-m", "heart_desktop.central.cli", "serve", "--db",
                                f"sqlite:///{tmp_path / 'c.sqlite'}", "--port", str(port), "--tls-cert", str(cert),
                                "--tls-key", str(key)], env=os.environ.copy())
    try:
        trust = ssl.create_default_context(cafile=str(ca_bundle))
        deadline, answer = time.monotonic() + 30, None
        while time.monotonic() < deadline and answer is None:
            try:
                answer = httpx.get(f"https://127.0.0.1:{port}/api/v1/", verify=trust)
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer is not None and answer.status_code == 200
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/")  # no plain http beside it
    finally:
        serving.terminate()
        serving.wait(10)
