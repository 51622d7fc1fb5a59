"""The HTML page the server sends for each dashboard page: Dutch, titled and described.

Streamlit serves one ``index.html`` for every page, in English (``<html lang="en">``, title
"Streamlit"), so a screen reader would read the Dutch pages with English pronunciation
(WCAG 3.1.1) and a shared link would show no title or description. :class:`DutchPages`, a
middleware of the server (``serve.py``), rewrites that file as it is sent: ``lang="nl"``,
the page's title and its description (``<meta name="description">``). Nothing else is
touched: scripts, styles, the websocket and every other file pass through as they are.

Kept free of heavy imports: the server imports it before its first answer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

PAGE_DESCRIPTIONS = {
    "Kaart": "Eenzaamheid per wijk en buurt (RIVM Gezondheidsmonitor) met het aanbod en "
    "andere lagen. Alles op de kaart staat ook in de tabellen en het gebiedsprofiel.",
    "Hiaten": "Waar wonen veel eenzamen van een doelgroep zonder passend aanbod binnen "
    "bereik? Een gerangschikte tabel en de kaart eenzamen × aanbod.",
    "Gebiedsprofiel": "Alles over één buurt, wijk of aandachtsgebied: eenzaamheid, "
    "doelgroepen, aanbod, hiaatscore en bronnen. Af te drukken op A4.",
    "Aanbod": "Activiteiten, Lief en Leedstraten, Welzijn op recept en Buurtmobiel: bekijken, "
    "en na inloggen toevoegen of wijzigen.",
    "Monitoring": "Indicatoren van het Uitvoeringsplan Eenzaamheid door de jaren heen, met "
    "metingen en notities uit de wijk.",
    "Scenario's": "Wat verandert er als er aanbod bijkomt of stopt, en waar helpen nieuwe "
    "activiteiten de meeste eenzamen? Het aanbodregister zelf verandert niet.",
    "Export": "De lagen en cijfers als GeoPackage, Excel, CSV of HTML-kaart, met kleine "
    "aantallen onderdrukt.",
    "Over de data": "Bronnen, jaren, gebiedsindelingen, methoden, aannames en licenties.",
}
"""One sentence under each page's title: what the page is for (also the page's description)."""

PAGE_PATHS = {
    "": "Kaart",  # the default page
    "kaart": "Kaart",
    "hiaten": "Hiaten",
    "profiel": "Gebiedsprofiel",
    "aanbod": "Aanbod",
    "scenarios": "Scenario's",
    "monitoring": "Monitoring",
    "export": "Export",
    "over": "Over de data",
}
"""URL path (the page module's name, as ``st.Page`` makes it) -> page title (``app.py``)."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def page_of(path: str, base: str = "") -> str | None:
    """The page title a URL path opens, or None for anything else (files, the websocket).

    ``base`` is the server's ``server.baseUrlPath`` (the app served below a path).

    Examples
    --------
    >>> page_of("/"), page_of("/hiaten"), page_of("/static/js/index.js")
    ('Kaart', 'Hiaten', None)
    >>> page_of("/wijkkompas/"), page_of("/wijkkompas/over", "wijkkompas"), page_of("/x/over", "a")
    (None, 'Over de data', None)
    """
    prefix = f"/{base.strip('/')}" if base.strip("/") else ""
    if prefix and path != prefix and not path.startswith(f"{prefix}/"):
        return None
    return PAGE_PATHS.get(path[len(prefix) :].strip("/"))


def dutch_page(document: str, title: str) -> str:
    """Streamlit's ``index.html`` in Dutch, with the page's title and description.

    Examples
    --------
    >>> page = dutch_page('<html lang="en"><head><title>Streamlit</title></head>', "Kaart")
    >>> page.startswith('<html lang="nl">'), "<title>Kaart · Wijkkompas</title>" in page
    (True, True)
    """
    description = html.escape(PAGE_DESCRIPTIONS.get(title, ""), quote=True)
    document = re.sub(r'<html lang="[^"]*"', '<html lang="nl"', document, count=1)
    return re.sub(
        r"<title>[^<]*</title>",
        f"<title>{html.escape(title)} · Wijkkompas</title>\n"
        f'    <meta name="description" content="{description}" />',
        document,
        count=1,
    )


class DutchPages:
    """ASGI middleware: every page's ``index.html`` as :func:`dutch_page` makes it."""

    def __init__(self, app: ASGIApp, base: str | None = None) -> None:
        self.app = app
        if base is None:  # the server's own setting (an app served below a path)
            from streamlit import config

            base = str(config.get_option("server.baseUrlPath") or "")
        self.base = base

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        title = page_of(scope["path"], self.base) if scope["type"] == "http" else None
        if title is None or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        # the page uncompressed (a few kB): its head is rewritten on the way out
        scope = {
            **scope,
            "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"],
        }
        start: Message = {}
        parts: list[bytes] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            parts.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(parts)
            headers = [(k, v) for k, v in start.get("headers", [])]
            kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            if start.get("status") == 200 and kind.startswith(b"text/html"):
                body = dutch_page(body.decode("utf-8"), title).encode("utf-8")
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)
