"""serve.py's server: connections send without Nagle's delay (app_pages/_server.py)."""

from __future__ import annotations

import asyncio
import socket

from app_pages._server import send_without_delay, tcp_without_delay


def streamlit_like_bind(address: str, port: int, backlog: int) -> socket.socket:
    """A listening socket made the way Streamlit's Starlette server makes it."""
    sock = socket.socket(family=socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((address, port))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


def nodelay_of_accepted(listener: socket.socket) -> int:
    """TCP_NODELAY of a connection accepted by an asyncio server on ``listener``."""
    seen: list[int] = []

    async def run() -> None:
        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=listener)
        port = listener.getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()

    asyncio.run(run())
    return seen[0]


def test_streamlits_socket_keeps_nagle_on_and_the_wrapped_one_turns_it_off():
    assert nodelay_of_accepted(streamlit_like_bind("127.0.0.1", 0, 8)) == 0  # the 40 ms
    wrapped = tcp_without_delay(streamlit_like_bind)("127.0.0.1", 0, 8)
    assert wrapped.proto == socket.IPPROTO_TCP and not wrapped.getblocking()
    assert nodelay_of_accepted(wrapped) != 0


def test_the_server_binds_through_the_wrapper_once(monkeypatch):
    from streamlit.web.server.starlette import starlette_server

    original = starlette_server._bind_socket
    monkeypatch.setattr(starlette_server, "_bind_socket", original)
    assert send_without_delay() and send_without_delay()  # twice: still one wrapper
    assert starlette_server._bind_socket.__wrapped__ is original
    listener = starlette_server._bind_socket("127.0.0.1", 0, 8)
    assert nodelay_of_accepted(listener) != 0
