"""The page the server sends: Streamlit's index.html in Dutch with title and description."""

from __future__ import annotations

import ast
import asyncio
import importlib.util
from pathlib import Path

from app_pages._head import PAGE_DESCRIPTIONS, PAGE_PATHS, DutchPages, dutch_page, page_of
from tests.conftest import REPO

STREAMLIT = Path(str(importlib.util.find_spec("streamlit").origin)).parent  # type: ignore[union-attr]
INDEX = (STREAMLIT / "static" / "index.html").read_text(encoding="utf-8")


def test_streamlits_page_becomes_dutch_with_the_pages_title_and_description():
    page = dutch_page(INDEX, "Scenario's")
    assert '<html lang="nl">' in page and 'lang="en"' not in page
    assert "<title>Scenario&#x27;s · Wijkkompas</title>" in page
    description = PAGE_DESCRIPTIONS["Scenario's"].replace("'", "&#x27;")
    assert f'<meta name="description" content="{description}" />' in page
    # nothing else changes: the scripts and styles Streamlit loads are the same
    changed = {line.strip() for line in page.splitlines()} ^ {
        line.strip() for line in INDEX.splitlines()
    }
    assert all("lang=" in line or "<title>" in line or "description" in line for line in changed)


def test_every_page_of_the_app_has_its_path_title_and_description():
    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    pages = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            path = ast.unparse(node.args[0])  # f"{PAGES}/kaart.py"
            title = next(k.value.value for k in node.keywords if k.arg == "title")  # type: ignore[attr-defined]
            pages[path.rsplit("/", 1)[-1].split(".py")[0]] = title
    assert len(pages) == 8
    for stem, title in pages.items():
        assert page_of(f"/{stem}") == title and title in PAGE_DESCRIPTIONS
    assert page_of("/") == "Kaart" and page_of("/_stcore/health") is None
    # an app served below a path (server.baseUrlPath): its pages, not the same names elsewhere
    assert page_of("/wijkkompas", "wijkkompas/") == "Kaart"
    assert page_of("/wijkkompas/hiaten/", "/wijkkompas") == "Hiaten"
    assert page_of("/hiaten", "wijkkompas") is None
    assert page_of("/static/js/kaart", "") is None
    assert set(PAGE_PATHS.values()) == set(PAGE_DESCRIPTIONS)


def call(  # noqa: ANN201
    app,  # noqa: ANN001
    path: str,
    headers: list[tuple[bytes, bytes]] | None = None,
    *,
    status: int = 200,
    kind: bytes = b"text/html; charset=utf-8",
):
    """One GET through an ASGI app: (status, headers, body, headers the app was asked with)."""
    sent: list[dict] = []  # type: ignore[type-arg]
    asked: list[list[tuple[bytes, bytes]]] = []

    async def inner(scope, receive, send):  # noqa: ANN001, ANN202
        asked.append(scope["headers"])
        body = INDEX.encode() if status == 200 else b""
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
            }
        )
        half = len(body) // 2  # in two parts, as a file response may send it
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:]})

    async def receive():  # noqa: ANN202
        return {"type": "http.request"}

    async def send(message):  # noqa: ANN001, ANN202
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": headers or []}
    asyncio.run(app(inner)(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body, asked[0]


def test_the_middleware_rewrites_pages_and_passes_everything_else():
    status, headers, body, asked = call(
        lambda app: DutchPages(app, base="wijkkompas"),
        "/wijkkompas/hiaten",
        [(b"accept-encoding", b"gzip"), (b"accept", b"text/html")],
    )
    assert status == 200 and b'<html lang="nl">' in body
    assert "Hiaten · Wijkkompas".encode() in body
    assert int(headers[b"content-length"]) == len(body)
    assert (b"accept-encoding", b"gzip") not in asked and (b"accept", b"text/html") in asked
    # a file, a page the browser already has (304) and a page path that is not HTML pass as
    # they are
    _, _, script, asked = call(
        DutchPages, "/static/js/index.js", [(b"accept-encoding", b"gzip")], kind=b"text/javascript"
    )
    assert script == INDEX.encode() and (b"accept-encoding", b"gzip") in asked
    status, _, empty, _ = call(DutchPages, "/kaart", status=304)
    assert status == 304 and empty == b""
    _, _, other, _ = call(DutchPages, "/over", kind=b"application/json")
    assert other == INDEX.encode()
