"""RemoteServer against real sockets, plain HTTP and HTTPS."""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import stat
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from eyepi_gui.errors import Unavailable
from eyepi_gui.settings import RemoteSettings
from remote import tls
from remote.server import OUTBUF_HIGH_WATERMARK, THREAD_NAME, RemoteServer

CHUNK = b"x" * 65536
TIMEOUT_S = 5.0
BOTH = pytest.mark.parametrize("use_tls", [False, True], ids=["http", "https"])


class TinyApp:
    """/ says hello, /echo returns the body, /stream sends CHUNKs until released or dropped."""

    def __init__(self):
        self.streamed = 0  # bytes handed to the server by /stream responses
        self.release = threading.Event()

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/stream":
            start_response("200 OK", [("Content-Type", "application/octet-stream")])
            return self._stream()
        body = b"hello"
        if path == "/echo":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [body]

    def _stream(self):
        while not self.release.is_set():
            self.streamed += len(CHUNK)
            yield CHUNK


@pytest.fixture(autouse=True)
def no_threads_left():
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + TIMEOUT_S
    while (left := set(threading.enumerate()) - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"threads still running: {sorted(t.name for t in left)}"


@pytest.fixture
def app():
    app = TinyApp()
    yield app
    app.release.set()


@pytest.fixture
def servers(tmp_path):
    """Makes RemoteServers on 127.0.0.1 (port 0 unless given) and stops them all at the end."""
    made = []

    def make(app, use_tls=False, **changes):
        given = {"bind": "127.0.0.1", "port": 0, "max_stream_clients": 1, "max_body_kib": 4}
        settings = RemoteSettings(**(given | {"tls": use_tls} | changes))
        server = RemoteServer(app, settings, tmp_path / "home")
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


def station_cert(tmp_path):
    return tmp_path / "home" / "tls" / "station.crt"


def port_of(server):
    return int(server.url.rsplit(":", 1)[1])


def client_context(cert):
    context = ssl.create_default_context(cafile=str(cert))  # trusts exactly this certificate
    assert context.check_hostname
    return context


def request(server, method="GET", path="/", body=b"", context=None, hostname="localhost"):
    """(status, body) of one request to ``server`` at 127.0.0.1, over TLS when ``context``."""
    head = f"{method} {path} HTTP/1.1\r\nHost: {hostname}\r\nConnection: close\r\n"
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=TIMEOUT_S) as raw:
        sock = context.wrap_socket(raw, server_hostname=hostname) if context else raw
        with sock, http.client.HTTPResponse(sock) as response:
            sock.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
            response.begin()
            return response.status, response.read()


def make_certificate(folder, name="localhost", days=365, encrypt=False):
    """A self-signed certificate for ``name`` and its key, written as PEM files in ``folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    encryption = (
        serialization.BestAvailableEncryption(b"secret")
        if encrypt
        else serialization.NoEncryption()
    )
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    return cert_path, key_path


def wait_until_stalled(app, quiet_s=0.5):
    """Bytes streamed once the stream stops advancing (the server applies backpressure)."""
    deadline = time.monotonic() + 4 * TIMEOUT_S
    last = -1
    while time.monotonic() < deadline:
        if app.streamed == last and last > 0:
            return last
        last = app.streamed
        time.sleep(quiet_s)
    raise AssertionError(f"the stream never stalled: {app.streamed} bytes and counting")


def test_http_get_on_any_free_port(app, servers):
    server = servers(app)
    server.start()

    assert server.url.startswith("http://127.0.0.1:")
    assert port_of(server) > 0
    assert request(server) == (200, b"hello")
    assert server.fingerprint is None
    assert THREAD_NAME in {thread.name for thread in threading.enumerate()}


@BOTH
def test_port_in_use_is_unavailable_naming_the_port(app, servers, use_tls):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(Unavailable, match=rf"127\.0\.0\.1 port {port}\b.*remote\.port"):
            servers(app, use_tls, port=port).start()


@BOTH
def test_stop_releases_the_port_for_the_next_start(app, servers, use_tls, tmp_path):
    # A fixed port, as on a station: a new socket may reuse a port held by old connections
    # in TIME_WAIT (SO_REUSEADDR), which a kernel-picked port (0) would not show.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    first = servers(app, use_tls, port=port)
    first.start()
    context = client_context(station_cert(tmp_path)) if use_tls else None
    assert request(first, context=context)[0] == 200

    first.stop()
    assert THREAD_NAME not in {thread.name for thread in threading.enumerate()}
    second = servers(app, use_tls, port=port)
    second.start()
    assert request(second, context=context) == (200, b"hello")
    second.stop()
    second.start()  # the same server again
    assert port_of(second) == port


def test_tls_with_the_self_signed_certificate_checks_the_hostname(app, servers, tmp_path):
    server = servers(app, use_tls=True)
    server.start()
    cert = station_cert(tmp_path)
    context = client_context(cert)

    assert server.url.startswith("https://127.0.0.1:")
    assert request(server, context=context) == (200, b"hello")
    with pytest.raises(ssl.SSLCertVerificationError, match="mismatch"):
        request(server, context=context, hostname="not-this-station.example")
    assert server.fingerprint == tls.fingerprint(cert)
    assert len(server.fingerprint.split(":")) == 32


def test_plain_http_to_the_tls_port_gets_no_page(app, servers):
    server = servers(app, use_tls=True)
    server.start()

    try:
        status, body = request(server)
    except (ConnectionError, http.client.HTTPException):
        return
    assert status == 400
    assert b"hello" not in body


def test_self_signed_certificate_is_reused_and_its_key_private(app, servers, tmp_path):
    first = servers(app, use_tls=True)
    first.start()
    fingerprint = first.fingerprint
    first.stop()
    second = servers(app, use_tls=True)
    second.start()

    assert second.fingerprint == fingerprint
    key = tmp_path / "home" / "tls" / "station.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert sorted(os.listdir(key.parent)) == ["station.crt", "station.key"]  # no temp files left


def test_self_signed_certificate_is_made_again_before_it_expires(tmp_path):
    folder = tmp_path / "home" / "tls"
    old_cert, old_key = make_certificate(folder, days=10)
    old_cert.rename(folder / "station.crt")
    old_key.rename(folder / "station.key")
    old = tls.fingerprint(folder / "station.crt")

    cert, _ = tls.certificate_files(RemoteSettings(tls=True), tmp_path / "home")

    assert tls.fingerprint(cert) != old
    loaded = x509.load_pem_x509_certificate(cert.read_bytes())
    assert loaded.not_valid_after_utc - datetime.now(UTC) > timedelta(days=4 * 365)
    names = loaded.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"localhost", socket.gethostname()} <= set(names.get_values_for_type(x509.DNSName))
    assert {"127.0.0.1", "::1"} <= {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}


def test_configured_certificate_and_key_are_served(app, servers, tmp_path):
    cert, key = make_certificate(tmp_path / "given")
    server = servers(app, use_tls=True, certificate=str(cert), private_key=str(key))
    server.start()

    assert request(server, context=client_context(cert)) == (200, b"hello")
    assert server.fingerprint == tls.fingerprint(cert)
    assert not (tmp_path / "home" / "tls").exists()


def test_missing_configured_certificate_is_unavailable(app, servers, tmp_path):
    _, key = make_certificate(tmp_path / "given")
    missing = tmp_path / "given" / "missing.crt"
    server = servers(app, use_tls=True, certificate=str(missing), private_key=str(key))

    with pytest.raises(Unavailable, match=r"remote\.certificate: cannot read .*missing\.crt"):
        server.start()


@pytest.mark.parametrize("problem", ["missing", "encrypted", "of another certificate"])
def test_unusable_configured_key_is_unavailable(app, servers, tmp_path, problem):
    cert, key = make_certificate(tmp_path / "given", encrypt=problem == "encrypted")
    if problem == "missing":
        key.unlink()
    elif problem == "of another certificate":
        _, key = make_certificate(tmp_path / "other")
    server = servers(app, use_tls=True, certificate=str(cert), private_key=str(key))

    with pytest.raises(Unavailable, match=r"remote\.private_key"):
        server.start()


def stall(server, context):
    """A client that asks for /stream and never reads: a socket to close."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port_of(server)))
    if context:
        sock = context.wrap_socket(sock, server_hostname="localhost")
    sock.sendall(b"GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
    return sock


@BOTH
def test_a_client_that_stops_reading_blocks_only_its_own_stream(app, servers, use_tls, tmp_path):
    server = servers(app, use_tls)
    server.start()
    context = client_context(station_cert(tmp_path)) if use_tls else None
    stalled = stall(server, context)
    try:
        buffered = wait_until_stalled(app)
        assert request(server, context=context) == (200, b"hello")
    finally:
        app.release.set()
        stalled.close()
    # What waits for the stalled client: waitress's output buffer plus the kernel's socket buffers
    # (waitress's default watermark alone would be 16 MiB).
    assert buffered < OUTBUF_HIGH_WATERMARK + 8 * 1024 * 1024


@pytest.mark.parametrize(
    ("use_tls", "bound_s"),
    [(False, 1.0), (True, 1.0)],
    ids=["http", "https"],
)
def test_stop_with_a_stalled_client_releases_the_port(app, servers, use_tls, bound_s, tmp_path):
    server = servers(app, use_tls)
    server.start()
    port = port_of(server)
    stalled = stall(server, client_context(station_cert(tmp_path)) if use_tls else None)
    try:
        wait_until_stalled(app)
        started = time.monotonic()
        server.stop(timeout=1.0)

        assert time.monotonic() - started < bound_s
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S).close()
    finally:
        app.release.set()
        stalled.close()


@BOTH
def test_oversized_request_body_is_refused_with_413(app, servers, use_tls, tmp_path):
    server = servers(app, use_tls)  # max_body_kib=4
    server.start()
    context = client_context(station_cert(tmp_path)) if use_tls else None

    limit = b"a" * 4096
    assert request(server, "POST", "/echo", limit, context) == (200, limit)
    status, _ = request(server, "POST", "/echo", limit + b"a", context)
    assert status == 413
