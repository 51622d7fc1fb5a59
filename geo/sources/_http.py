"""One HTTP client for every source: on-disk cache, timeouts, retries with backoff, Dutch errors.

The cache (requests-cache, SQLite in :attr:`SourceSettings.cache_dir`) is keyed by the whole
request (method, URL, parameters, body), so a second fetch of the same gemeente and year makes
no network requests. Only complete, valid answers are kept: error statuses are never cached and
an answer that is not valid JSON is removed again.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import requests_cache

from geo.errors import DataError
from geo.sources.settings import SourceSettings

logger = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
"""Statuses worth another attempt (too many requests, server errors)."""

NOTHING_CHANGED = "er is niets gewijzigd in de datamap."


class SourceError(DataError):
    """An online source could not be used: offline, failing, malformed or empty.

    Attributes
    ----------
    url
        The request that failed (without the query string when it is long).
    kind
        ``offline`` (no connection or timeout), ``http`` (an error status), ``json`` (not valid
        JSON) or ``leeg`` (a valid but empty answer, such as an unknown gemeente).
    """

    def __init__(self, message: str, *, url: str = "", kind: str = "http", hint: str | None = None):
        self.url = url
        self.kind = kind
        super().__init__(message, hint=hint)


def host_of(url: str) -> str:
    """``'https://api.pdok.nl/cbs/...'`` -> ``'api.pdok.nl'``."""
    return urlsplit(url).netloc or url


class HttpClient:
    """Cached, retrying JSON client for the online sources.

    Parameters
    ----------
    settings
        Timeouts, retries, cache folder and user agent.
    refresh
        Ignore cached answers (they are replaced by fresh ones).
    sleep
        Called with the seconds to wait between attempts (tests pass a recorder).

    Examples
    --------
    >>> client = HttpClient(SourceSettings.from_env())  # doctest: +SKIP
    >>> client.get_json("https://opendata.cbs.nl/ODataApi/odata/85618NED")  # doctest: +SKIP
    """

    def __init__(
        self,
        settings: SourceSettings,
        *,
        refresh: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.refresh = refresh
        self.sleep = sleep
        self.network_requests = 0
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        self.session = requests_cache.CachedSession(
            cache_name=str(settings.cache_dir / "http_cache"),
            backend="sqlite",
            expire_after=timedelta(days=settings.cache_days),
            allowable_methods=("GET", "POST"),
            allowable_codes=(200,),
        )
        self.session.headers["User-Agent"] = settings.user_agent
        self.session.headers["Accept"] = "application/json, application/geo+json;q=0.9, */*;q=0.1"

    def close(self) -> None:
        """Close the session and its cache database."""
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def get_json(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> Any:
        """GET (or POST when ``data`` is given) and parse JSON, retrying 429/5xx and timeouts.

        Raises
        ------
        SourceError
            Offline, timed out, an error status after the retries, or an answer that is not
            valid JSON; the message names the service and the URL.
        """
        method = "POST" if data is not None else "GET"
        timeout = self.settings.timeout_s
        problem = ""
        kind = "offline"
        for attempt in range(self.settings.retries + 1):
            wait = self.settings.backoff_s * (2**attempt)
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    timeout=(timeout, timeout),
                    force_refresh=self.refresh,
                )
            except requests.Timeout:
                problem, kind = f"gaf geen antwoord binnen {timeout:g} seconden", "offline"
            except requests.ConnectionError:
                problem, kind = "is niet bereikbaar (geen internetverbinding?)", "offline"
            else:
                if not getattr(response, "from_cache", False):
                    self.network_requests += 1
                if response.status_code == 200:
                    return self._parse(response)
                if response.status_code not in RETRY_STATUS:
                    raise SourceError(
                        f"{host_of(url)} antwoordde met HTTP {response.status_code} "
                        f"op {_short(response.url)}.",
                        url=response.url,
                        kind="http",
                        hint="controleer de gemeente, het jaar en de adressen van de bronnen "
                        f"(WIJKKOMPAS_*_URL); {NOTHING_CHANGED}",
                    )
                problem, kind = f"antwoordde met HTTP {response.status_code}", "http"
                asked = _retry_after(response)
                if asked is not None:
                    if asked > self.settings.max_wait_s:
                        raise SourceError(
                            f"{host_of(url)} vraagt {asked:g} seconden te wachten "
                            f"(HTTP {response.status_code}).",
                            url=url,
                            kind="http",
                            hint=f"probeer het later opnieuw; {NOTHING_CHANGED}",
                        )
                    wait = asked
            if attempt < self.settings.retries:
                logger.info("%s %s; nieuwe poging over %.1f s", host_of(url), problem, wait)
                self.sleep(wait)
        raise SourceError(
            f"{host_of(url)} {problem} ({_short(url)}; {self.settings.retries + 1} pogingen).",
            url=url,
            kind=kind,
            hint="controleer de internetverbinding en probeer het later opnieuw; "
            f"{NOTHING_CHANGED}",
        )

    def _parse(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            self._forget(response)
            start = response.text[:60].replace("\n", " ")
            raise SourceError(
                f"het antwoord van {host_of(response.url)} is geen geldige JSON "
                f"({_short(response.url)}; begint met '{start}').",
                url=response.url,
                kind="json",
                hint=f"de dienst heeft mogelijk een storing; probeer het later opnieuw; "
                f"{NOTHING_CHANGED}",
            ) from None

    def _forget(self, response: requests.Response) -> None:
        key = getattr(response, "cache_key", None)
        try:
            if key:
                self.session.cache.delete(key)
            else:
                self.session.cache.delete(requests=[response.request])
        except Exception:  # noqa: BLE001 - a cache clean-up must never hide the real error
            logger.debug("kon ongeldig antwoord niet uit de cache halen", exc_info=True)


def download_file(http: HttpClient, url: str, target: Path, *, what: str, hint: str) -> None:
    """Stream ``url`` to ``target`` in 1 MiB blocks (outside the HTTP cache), with retries.

    A 429, a 5xx, a timeout or a dropped connection is tried again (``settings.retries``,
    doubling waits); anything else, or the last failure, is a :class:`SourceError` naming
    ``what`` (``het OSM-extract``) with ``hint``.
    """
    settings = http.settings
    problem = ""
    for attempt in range(settings.retries + 1):
        try:
            with (
                http.session.cache_disabled(),
                http.session.get(
                    url, stream=True, timeout=(settings.timeout_s, settings.timeout_s)
                ) as response,
            ):
                http.network_requests += 1
                if response.status_code == 200:
                    with target.open("wb") as out:
                        for chunk in response.iter_content(DOWNLOAD_CHUNK):
                            out.write(chunk)
                    return
                problem = f"antwoordde met HTTP {response.status_code}"
                if response.status_code < 500 and response.status_code != 429:
                    break
        except (requests.Timeout, requests.ConnectionError):
            problem = "is niet bereikbaar (geen internetverbinding?)"
        if attempt < settings.retries:
            http.sleep(settings.backoff_s * 2**attempt)
    raise SourceError(
        f"{host_of(url)} {problem} bij het downloaden van {what}.", url=url, kind="http", hint=hint
    )


DOWNLOAD_CHUNK = 2**20


def is_online(settings: SourceSettings, *, timeout_s: float = 3.0) -> bool:
    """True when the PDOK base URL answers at all (any status) within ``timeout_s``."""
    try:
        requests.head(
            settings.pdok_url,
            timeout=(timeout_s, timeout_s),
            headers={"User-Agent": settings.user_agent},
            allow_redirects=False,
        )
    except requests.RequestException:
        return False
    return True


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _short(url: str) -> str:
    return url if len(url) <= 160 else url[:157] + "..."
