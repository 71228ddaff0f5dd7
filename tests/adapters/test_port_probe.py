"""The port probe binds for real: a port another socket listens on is taken, a free one is
not, an address the machine lacks is named."""

import socket

from eyepi_gui.adapters.port_probe import SocketPortProbe


def test_a_listening_port_is_taken_and_a_free_one_is_not():
    probe = SocketPortProbe()
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        assert "in use" in probe.why_taken("127.0.0.1", port)
        assert "in use" in probe.why_taken("0.0.0.0", port)
    assert probe.why_taken("127.0.0.1", port) is None


def test_a_port_left_in_time_wait_by_the_endpoint_counts_as_free():
    probe = SocketPortProbe()
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server side closes first: its end waits in TIME_WAIT
        client.close()
    assert probe.why_taken("127.0.0.1", port) is None


def test_an_address_of_another_machine_is_named():
    assert "not an address of this station" in SocketPortProbe().why_taken("192.0.2.1", 8080)
