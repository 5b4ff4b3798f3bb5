"""TCP_NODELAY on the server's sockets: each message reaches the browser when it is written.

Streamlit 1.67 serves through uvicorn, whose listening socket is made with protocol number 0, and asyncio
turns Nagle's algorithm off only for sockets whose protocol is IPPROTO_TCP: so every connection to a
Streamlit server keeps it on. A small message written while an earlier one is not yet acknowledged then
waits for the browser's delayed ACK, up to 40 ms on Linux: measured at the protocol level, a bare
Streamlit page's rerun took 47 ms for 4 ms of script, and 6 ms with TCP_NODELAY (README, issue 14).

install() sets TCP_NODELAY once per process on every TCP socket of the server: the listener (connections
accepted later inherit it, on Linux and the BSDs) and the connections already open (the one whose first
run calls it). It runs from app.py's first run, the earliest point our code runs inside the server.
"""
from __future__ import annotations

import gc
import socket
import threading

_lock = threading.Lock()
_installed = False


def set_nodelay(sock: socket.socket) -> bool:
    """TCP_NODELAY on one socket if it is an open TCP socket; whether it was set."""
    try:
        if sock.fileno() < 0 or sock.family not in (socket.AF_INET, socket.AF_INET6) \
                or sock.type != socket.SOCK_STREAM:
            return False
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return True
    except OSError:  # closed meanwhile, or not a TCP socket after all (a socketpair)
        return False


def install() -> int:
    """Once per process: TCP_NODELAY on every TCP socket this process has open; how many were set (0 on
    later calls). A scan of the garbage collector's objects, ~0.1 s, once."""
    global _installed
    with _lock:
        if _installed:
            return 0
        _installed = True
        # By type, not isinstance(): isinstance() asks an object for its __class__, which some objects answer
        # with a warning (torch's deprecated aliases) or an error.
        return sum(set_nodelay(obj) for obj in gc.get_objects() if issubclass(type(obj), socket.socket))
