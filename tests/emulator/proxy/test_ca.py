"""The proxy's CA: made once, kept private, reused across restarts, and only good for Twilio."""

from __future__ import annotations

import socket
import ssl
import stat
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtensionOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError
from support.emulator import EmulatorProcess, start_process
from support.proxy import Proxied

from pulumi_flex_sms.emulator.ca import CertificateAuthority, CertificateAuthorityError

PROXY_LINE_PREFIX = "# Proxy for unmodified Twilio clients: "


def _peer_certificate(proxy: Proxied, host: str) -> x509.Certificate:
    parts = urlsplit(proxy.endpoint.url)
    assert parts.hostname is not None and parts.port is not None
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
        raw.sendall(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
        assert raw.recv(4096).startswith(b"HTTP/1.1 200 ")
        # The default context checks the chain and the name (and, on 3.13, X509_STRICT).
        context = ssl.create_default_context(cafile=str(proxy.endpoint.ca.bundle_path))
        with context.wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der)


@pytest.mark.parametrize(
    "host", ["conversations.twilio.com", "api.twilio.com", "conversations.dublin.ie1.twilio.com"]
)
def test_each_host_gets_a_certificate_for_its_name_from_the_ca(proxy: Proxied, host: str) -> None:
    cert = _peer_certificate(proxy, host)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == [host]
    ca = proxy.endpoint.ca.certificate
    assert cert.issuer == ca.subject
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.not_valid_after_utc > cert.not_valid_before_utc
    # Made once per host: the same certificate on the next tunnel.
    assert _peer_certificate(proxy, host).serial_number == cert.serial_number


def test_the_ca_is_a_ca_that_can_only_vouch_for_twilio(tmp_path: Path) -> None:
    ca = CertificateAuthority.load_or_create(tmp_path / "ca")
    cert = ca.certificate
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    names = cert.extensions.get_extension_for_oid(ExtensionOID.NAME_CONSTRAINTS)
    assert names.critical
    assert names.value.permitted_subtrees == [x509.DNSName("twilio.com")]

    verifier_for = PolicyBuilder().store(Store([cert]))
    _, twilio = ca.issue_certificate("conversations.twilio.com")
    verifier_for.build_server_verifier(x509.DNSName("conversations.twilio.com")).verify(twilio, [])
    # Even a certificate the CA's own key signs for another site is not valid.
    _, elsewhere = ca.issue_certificate("example.com")
    with pytest.raises(VerificationError):
        verifier_for.build_server_verifier(x509.DNSName("example.com")).verify(elsewhere, [])


def test_the_ca_key_signs_certificates_and_a_leaf_key_only_signs_handshakes(
    tmp_path: Path,
) -> None:
    ca = CertificateAuthority.load_or_create(tmp_path / "ca")
    _, leaf = ca.issue_certificate("api.twilio.com")

    def allowed(cert: x509.Certificate) -> set[str]:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
        assert usage.critical
        # encipher_only and decipher_only are only defined with key_agreement.
        assert not usage.value.key_agreement
        flags = (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_cert_sign",
            "crl_sign",
        )
        return {flag for flag in flags if getattr(usage.value, flag)}

    assert allowed(ca.certificate) == {"key_cert_sign", "crl_sign"}
    assert allowed(leaf) == {"digital_signature"}


def test_the_key_is_private_and_the_bundle_adds_the_ca_to_the_public_roots(
    tmp_path: Path,
) -> None:
    import certifi

    ca = CertificateAuthority.load_or_create(tmp_path / "ca")
    assert stat.S_IMODE(ca.key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(ca.directory.stat().st_mode) == 0o700
    bundle = ca.bundle_path.read_text()
    assert bundle.startswith(Path(certifi.where()).read_text().rstrip("\n"))
    assert bundle.endswith(ca.cert_path.read_text())
    # No leaf key is left on disk.
    assert sorted(p.name for p in ca.directory.iterdir()) == [
        "ca-bundle.pem",
        "ca-key.pem",
        "ca.pem",
    ]


def test_emulators_starting_together_share_one_new_ca(tmp_path: Path) -> None:
    found: list[str] = []

    def load() -> None:
        found.append(CertificateAuthority.load_or_create(tmp_path / "ca").fingerprint)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 4 and len(set(found)) == 1


def test_a_broken_ca_directory_is_an_error_that_names_it_and_the_fix(tmp_path: Path) -> None:
    broken = tmp_path / "ca"
    broken.mkdir()
    (broken / "ca.pem").write_text("not a certificate")
    (broken / "ca-key.pem").write_text("not a key")
    with pytest.raises(CertificateAuthorityError, match=f"{broken}.*delete it"):
        CertificateAuthority.load_or_create(broken)


def _proxy_lines(process: EmulatorProcess) -> list[str]:
    """The lines after the first: the proxy comment and the export lines."""
    assert process.process.stdout is not None
    return [process.process.stdout.readline().rstrip("\n") for _ in range(7)]


def _fingerprint(line: str) -> str:
    return line.partition("SHA-256 ")[2].partition(")")[0]


def test_the_ca_beside_the_state_is_reused_across_restarts(tmp_path: Path) -> None:
    state = tmp_path / "emulator.sqlite3"
    ca_dir = tmp_path / "emulator.sqlite3.ca"
    fingerprints, certs = [], []
    for _ in range(2):
        process = start_process(["--state", str(state), "--proxy-port", "0"])
        try:
            lines = _proxy_lines(process)
        finally:
            process.stop()
        assert lines[0].startswith(PROXY_LINE_PREFIX)
        assert f"(CA {ca_dir / 'ca.pem'}, SHA-256 " in lines[0]
        fingerprints.append(_fingerprint(lines[0]))
        certs.append((ca_dir / "ca.pem").read_bytes())
    assert fingerprints[0] == fingerprints[1]
    assert certs[0] == certs[1]
    cert = x509.load_pem_x509_certificate(certs[0])
    assert cert.fingerprint(hashes.SHA256()).hex(":").upper() == fingerprints[0]
    assert stat.S_IMODE((ca_dir / "ca-key.pem").stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME is the Linux convention")
def test_without_state_or_ca_dir_the_ca_is_kept_per_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # read by the child
    process = start_process(["--proxy-port", "0"])
    try:
        lines = _proxy_lines(process)
    finally:
        process.stop()
    expected = tmp_path / "cache" / "pulumi-flex-sms" / "emulator-ca"
    assert f"(CA {expected / 'ca.pem'}, " in lines[0]
    assert (expected / "ca.pem").is_file()
