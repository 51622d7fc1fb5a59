"""Streamlit's server with its connections sending at once (used by ``serve.py``).

Streamlit's Starlette server binds its listening socket itself with
``socket.socket(family)``, which leaves the socket's ``proto`` at 0. asyncio turns Nagle's
algorithm off (``TCP_NODELAY``) for an accepted connection only when the socket says it is
TCP, so on every kept-alive connection each response's body waited for the browser's
delayed acknowledgement: 40 ms per file after the first. A new visitor's page loads 59
scripts over six connections, so the frontend started 0,4 s late (Tornado, Streamlit's
earlier server, set ``TCP_NODELAY`` itself). :func:`send_without_delay` wraps the bind
so the socket says it is TCP; the connections then send at once (also the websocket's
messages).
"""

from __future__ import annotations

import functools
import socket
from collections.abc import Callable


def tcp_without_delay(bind: Callable[..., socket.socket]) -> Callable[..., socket.socket]:
    """``bind`` (a function returning a listening socket) giving a socket asyncio knows is TCP.

    The same file descriptor is wrapped again with ``proto=IPPROTO_TCP``, and ``TCP_NODELAY``
    is set on the listener as well. A Unix socket or a socket that names its protocol is
    returned as it is.
    """

    @functools.wraps(bind)
    def bind_tcp(*args: object, **kwargs: object) -> socket.socket:
        sock = bind(*args, **kwargs)
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto:
            return sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        blocking = sock.getblocking()
        tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        tcp.setblocking(blocking)
        return tcp

    return bind_tcp


def send_without_delay() -> bool:
    """Make Streamlit's server bind with :func:`tcp_without_delay`; False if it cannot.

    Streamlit's binding function is private (``starlette_server._bind_socket``): when a
    version has none, nothing is changed and the server runs as Streamlit made it.
    """
    from streamlit.web.server.starlette import starlette_server

    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None:
        return False
    if not getattr(bind, "__wrapped__", None):
        starlette_server._bind_socket = tcp_without_delay(bind)
    return True
