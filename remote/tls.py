"""TLS files for the remote endpoint: the configured certificate, or a self-signed one.

Without ``remote.certificate``/``remote.private_key`` a self-signed certificate is made once in
``<home>/tls`` and reused; it is made again when missing, unreadable, not matching its key or
expiring within ``RENEW_BEFORE``. Users check it by its SHA-256 ``fingerprint``, which the station
logs at start.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from eyepi_gui.errors import Unavailable
from eyepi_gui.settings import RemoteSettings

CERTIFICATE_NAME = "station.crt"
KEY_NAME = "station.key"
VALID_FOR = timedelta(days=5 * 365)
RENEW_BEFORE = timedelta(days=30)
CLOCK_SKEW = timedelta(days=1)  # back-date the start: a station's clock may lag after boot


def certificate_files(settings: RemoteSettings, home: Path) -> tuple[Path, Path]:
    """The (certificate, private key) PEM files to serve TLS with: the configured ones, checked,
    or the station's self-signed pair in ``home / "tls"``, made when needed.
    Raises Unavailable naming the setting when a configured file cannot be used."""
    if settings.certificate or settings.private_key:
        return _configured(Path(settings.certificate), Path(settings.private_key))
    return _self_signed(home / "tls")


def fingerprint(cert: Path) -> str:
    """SHA-256 of the certificate (DER) as upper-case colon hex, "AB:12:...": what browsers show."""
    certificate = _load_certificate(cert, "the certificate")
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def _configured(cert: Path, key: Path) -> tuple[Path, Path]:
    certificate = _load_certificate(cert, "remote.certificate")
    private_key = _load_key(key, "remote.private_key")
    if private_key.public_key() != certificate.public_key():
        raise Unavailable(
            f"remote.private_key: {key} is not the key of the certificate in remote.certificate"
        )
    return cert, key


def _load_certificate(path: Path, setting: str) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except OSError as err:
        raise Unavailable(f"{setting}: cannot read {path}: {err.strerror or err}") from err
    except ValueError as err:
        raise Unavailable(f"{setting}: {path} is not a PEM certificate") from err


def _load_key(path: Path, setting: str) -> PrivateKeyTypes:
    # An encrypted key would make OpenSSL prompt on the terminal of a headless station.
    try:
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as err:
        raise Unavailable(f"{setting}: cannot read {path}: {err.strerror or err}") from err
    except TypeError as err:
        raise Unavailable(f"{setting}: {path} is encrypted; give an unencrypted key") from err
    except (ValueError, UnsupportedAlgorithm) as err:
        raise Unavailable(f"{setting}: {path} is not a PEM private key") from err


def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / CERTIFICATE_NAME, folder / KEY_NAME
    if not _still_good(cert, key):
        try:
            _make_self_signed(cert, key)
        except OSError as err:
            raise Unavailable(
                f"cannot write a self-signed TLS certificate in {folder}: {err.strerror or err}"
            ) from err
    return cert, key


def _still_good(cert: Path, key: Path) -> bool:
    """True when both files load, belong together and stay valid for at least RENEW_BEFORE."""
    try:
        certificate = _load_certificate(cert, "the self-signed certificate")
        private_key = _load_key(key, "the self-signed key")
    except Unavailable:
        return False
    expires_in = certificate.not_valid_after_utc - datetime.now(UTC)
    return private_key.public_key() == certificate.public_key() and expires_in > RENEW_BEFORE


def _make_self_signed(cert: Path, key: Path) -> None:
    cert.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    private_key = ec.generate_private_key(ec.SECP256R1())
    # The key first: a crash in between leaves a mismatched pair, which is made again next time.
    _write_atomically(key, _key_pem(private_key), 0o600)
    _write_atomically(cert, _certificate_pem(private_key), 0o644)


def _key_pem(private_key: ec.EllipticCurvePrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _certificate_pem(private_key: ec.EllipticCurvePrivateKey) -> bytes:
    """A self-signed server certificate for this machine, valid for VALID_FOR from now."""
    hostname = socket.gethostname()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname or "localhost")])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + VALID_FOR)
        .add_extension(x509.SubjectAlternativeName(_alt_names(hostname)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    )
    certificate = builder.sign(private_key, hashes.SHA256())
    return certificate.public_bytes(serialization.Encoding.PEM)


def _alt_names(hostname: str) -> list[x509.GeneralName]:
    """The names a client may use: this machine's hostname, localhost and the loopback IPs."""
    dns = ["localhost"]
    if hostname and hostname.isascii() and hostname.lower() != "localhost":
        dns.insert(0, hostname)
    loopback = [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")]
    names: list[x509.GeneralName] = [x509.DNSName(host) for host in dns]
    return names + [x509.IPAddress(address) for address in loopback]


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    """Replace ``path`` with ``data``: a temp file in the same folder (created 0600, then set to
    ``mode``), fsync, rename, fsync of the folder. Readers see the old file or the new one."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
