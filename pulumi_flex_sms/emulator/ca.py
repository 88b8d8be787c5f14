"""The proxy's local certificate authority, and the certificates it signs per Twilio host.

The CA is created once and kept in a directory (``--ca-dir``; else beside
``--state``, as ``{state}.ca``; else a per-user cache directory)::

    ca.pem          the CA certificate (NODE_EXTRA_CA_CERTS)
    ca-key.pem      its private key, mode 0600 (the directory is 0700)
    ca-bundle.pem   certifi's roots + ca.pem, rewritten at every start
                    (SSL_CERT_FILE, REQUESTS_CA_BUNDLE: they replace the roots)

The CA can only vouch for Twilio: it carries a critical ``nameConstraints``
extension that permits ``twilio.com`` and its subdomains and nothing else, so a
copy of its key cannot impersonate any other site to a client that trusts it.
Leaf certificates (one per host, SAN ``dNSName`` = the host) are made in memory
when a host is first asked for, kept for the process, and renewed before they
expire. Keys are ECDSA P-256; everything is done by ``cryptography`` and the
standard library's ``ssl``.

Two emulators may start on one directory at once: the first to create the key
file (``O_EXCL``) writes the CA, the other waits for its certificate.
"""

from __future__ import annotations

import datetime as dt
import os
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import certifi
import platformdirs
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "CA_BUNDLE_FILE",
    "CA_CERT_FILE",
    "CA_KEY_FILE",
    "CertificateAuthority",
    "CertificateAuthorityError",
    "default_ca_dir",
]

CA_CERT_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
CA_BUNDLE_FILE = "ca-bundle.pem"
#: The only names the CA may sign for (RFC 5280 name constraints: the domain and below).
PERMITTED_DOMAIN = "twilio.com"
CA_VALIDITY = dt.timedelta(days=3650)
LEAF_VALIDITY = dt.timedelta(days=30)
#: A leaf this close to its end is made anew; backdating absorbs clock skew.
LEAF_RENEW_BEFORE = dt.timedelta(days=1)
BACKDATE = dt.timedelta(hours=1)
#: The flags of RFC 5280's KeyUsage, as ``x509.KeyUsage`` names them.
_KEY_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)
#: How long an emulator waits for another one that is creating the CA.
CREATION_WAIT_SECONDS = 10.0


class CertificateAuthorityError(Exception):
    """The CA directory cannot be used; the message names the path and the fix."""


def default_ca_dir(state_path: str | Path | None) -> Path:
    """Where the CA lives without ``--ca-dir``: beside the state file, else per user."""
    if state_path is not None:
        state = Path(state_path).expanduser().resolve()
        return state.with_name(state.name + ".ca")
    return Path(platformdirs.user_cache_dir("pulumi-flex-sms")) / "emulator-ca"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _key_usage(**allowed: bool) -> x509.KeyUsage:
    """The KeyUsage extension allowing only the usages named (``key_cert_sign=True``)."""
    return x509.KeyUsage(**{**dict.fromkeys(_KEY_USAGES, False), **allowed})


def _new_ca() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "pulumi-flex-sms (local, not Twilio)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "pulumi-flex-sms Twilio emulator CA"),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            _key_usage(key_cert_sign=True, crl_sign=True),
            critical=True,
        )
        .add_extension(
            x509.NameConstraints(
                permitted_subtrees=[x509.DNSName(PERMITTED_DOMAIN)], excluded_subtrees=None
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


@dataclass
class _Leaf:
    context: ssl.SSLContext
    not_after: dt.datetime


class CertificateAuthority:
    """The CA in ``directory`` (see the module docstring); :meth:`load_or_create` makes one."""

    def __init__(
        self, directory: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate
    ) -> None:
        self.directory = directory
        self._key = key
        self.certificate = cert
        self._leaves: dict[str, _Leaf] = {}
        self._lock = threading.Lock()

    # -- the files ------------------------------------------------------------------

    @property
    def cert_path(self) -> Path:
        return self.directory / CA_CERT_FILE

    @property
    def key_path(self) -> Path:
        return self.directory / CA_KEY_FILE

    @property
    def bundle_path(self) -> Path:
        return self.directory / CA_BUNDLE_FILE

    @property
    def fingerprint(self) -> str:
        """The CA certificate's SHA-256 fingerprint, as ``AB:CD:...``."""
        return self.certificate.fingerprint(hashes.SHA256()).hex(":").upper()

    @classmethod
    def load_or_create(cls, directory: str | Path) -> CertificateAuthority:
        """The CA kept in ``directory``, created (with the directory) on first use."""
        path = Path(directory).expanduser().resolve()
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            ca = cls._load(path) or cls._create(path) or cls._wait_for_other(path)
            ca.write_bundle()
        except OSError as exc:
            raise CertificateAuthorityError(
                f"CA directory {path}: {exc.strerror or exc}; choose another with --ca-dir"
            ) from None
        return ca

    @classmethod
    def _load(cls, path: Path) -> CertificateAuthority | None:
        cert_file, key_file = path / CA_CERT_FILE, path / CA_KEY_FILE
        if not cert_file.exists():
            return None
        try:
            cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
            key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        except (ValueError, TypeError, FileNotFoundError) as exc:
            raise CertificateAuthorityError(
                f"CA directory {path} holds no usable CA ({exc}); delete it, or choose another "
                "with --ca-dir, and a new CA is created"
            ) from None
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
            raise CertificateAuthorityError(
                f"CA directory {path}: {CA_KEY_FILE} is not the key of {CA_CERT_FILE}; delete "
                "the directory (a new CA is created) or choose another with --ca-dir"
            )
        if cert.not_valid_after_utc - LEAF_VALIDITY < _now():
            raise CertificateAuthorityError(
                f"the CA in {path} expires on {cert.not_valid_after_utc:%Y-%m-%d}; delete the "
                "directory and a new CA is created (clients then trust the new ca.pem)"
            )
        return cls(path, key, cert)

    @classmethod
    def _create(cls, path: Path) -> CertificateAuthority | None:
        """Write a new CA, or None when another process is writing one."""
        try:
            fd = os.open(path / CA_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return None
        key, cert = _new_ca()
        with os.fdopen(fd, "wb") as key_file:
            key_file.write(_key_pem(key))
            key_file.flush()
            os.fsync(key_file.fileno())
        # The certificate appears last and at once: its presence means "the CA is complete".
        _write_atomically(path / CA_CERT_FILE, _pem(cert), 0o644)
        return cls(path, key, cert)

    @classmethod
    def _wait_for_other(cls, path: Path) -> CertificateAuthority:
        deadline = time.monotonic() + CREATION_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            ca = cls._load(path)
            if ca is not None:
                return ca
        raise CertificateAuthorityError(
            f"CA directory {path} has a {CA_KEY_FILE} but no {CA_CERT_FILE} (an emulator "
            "stopped while creating it?); delete the directory and a new CA is created"
        )

    def write_bundle(self) -> None:
        """``ca-bundle.pem``: the public roots (certifi) followed by this CA."""
        roots = Path(certifi.where()).read_bytes()
        if not roots.endswith(b"\n"):
            roots += b"\n"
        _write_atomically(self.bundle_path, roots + _pem(self.certificate), 0o644)

    # -- leaf certificates ------------------------------------------------------------

    def server_context(self, host: str) -> ssl.SSLContext:
        """A server-side TLS context presenting a certificate for ``host`` (made once)."""
        with self._lock:
            leaf = self._leaves.get(host)
            if leaf is None or leaf.not_after - LEAF_RENEW_BEFORE < _now():
                leaf = self._leaves[host] = self._issue(host)
            return leaf.context

    def issue_certificate(self, host: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        """A new key and certificate for ``host`` (SAN dNSName), signed by this CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE)
            .not_valid_after(now + LEAF_VALIDITY)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                _key_usage(digital_signature=True),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()),
                critical=False,
            )
            .sign(self._key, hashes.SHA256())
        )
        return key, cert

    def _issue(self, host: str) -> _Leaf:
        key, cert = self.issue_certificate(host)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_alpn_protocols(["http/1.1"])
        # ssl loads a certificate chain from files only: a private temporary file
        # (0600, in the 0700 CA directory) that is gone as soon as it is read.
        fd, name = tempfile.mkstemp(prefix=".leaf-", suffix=".pem", dir=self.directory)
        try:
            with os.fdopen(fd, "wb") as chain:
                chain.write(_key_pem(key) + _pem(cert) + _pem(self.certificate))
            context.load_cert_chain(name)
        finally:
            os.unlink(name)
        return _Leaf(context, cert.not_valid_after_utc)


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(name, mode)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
