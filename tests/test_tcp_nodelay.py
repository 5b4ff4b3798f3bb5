"""ui/tcp_nodelay: Nagle's algorithm off on the server's listener (inherited by later connections) and on
the connections already open, once per process."""
import socket

import pytest

from ui import tcp_nodelay


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(tcp_nodelay, "_installed", False)


def test_listener_and_open_connections_get_nodelay_and_later_connections_inherit_it(fresh):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # protocol 0, as uvicorn makes it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    served, _ = listener.accept()
    assert served.proto == 0 and _nodelay(served) == 0  # what asyncio leaves as it is
    try:
        assert tcp_nodelay.install() >= 3
        assert _nodelay(listener) and _nodelay(served) and _nodelay(client)
        later = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        assert _nodelay(accepted)  # inherited from the listener
        later.close()
        accepted.close()
    finally:
        for s in (listener, client, served):
            s.close()


def test_install_runs_once_per_process(fresh):
    tcp_nodelay.install()
    listener = socket.socket()
    try:
        assert tcp_nodelay.install() == 0 and _nodelay(listener) == 0
    finally:
        listener.close()


def test_other_sockets_are_left_alone():
    a, b = socket.socketpair()  # AF_UNIX: no TCP options
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    closed = socket.socket()
    closed.close()
    try:
        assert not tcp_nodelay.set_nodelay(a) and not tcp_nodelay.set_nodelay(udp)
        assert not tcp_nodelay.set_nodelay(closed)
    finally:
        for s in (a, b, udp):
            s.close()
