"""The HTTP client: retries on 5xx and 429 (Retry-After), timeouts, malformed JSON, cache."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from geo.sources import SourceError, SourceSettings
from geo.sources._http import HttpClient, is_online
from tests.fixtures.sources.fake_services import settings_for


def client_for(server: HTTPServer, tmp_path: Path, **overrides: object) -> tuple[HttpClient, list]:
    waits: list[float] = []
    client = HttpClient(settings_for(server, tmp_path / "cache", **overrides), sleep=waits.append)
    return client, waits


def test_500_then_success_is_retried_with_backoff(httpserver: HTTPServer, tmp_path: Path):
    httpserver.expect_ordered_request("/t").respond_with_data("kapot", status=500)
    httpserver.expect_ordered_request("/t").respond_with_data("kapot", status=502)
    httpserver.expect_ordered_request("/t").respond_with_json({"value": [1]})
    client, waits = client_for(httpserver, tmp_path, backoff_s=0.5)
    assert client.get_json(httpserver.url_for("/t")) == {"value": [1]}
    assert waits == [0.5, 1.0]  # doubled every attempt
    assert client.network_requests == 3


def test_429_honours_retry_after(httpserver: HTTPServer, tmp_path: Path):
    httpserver.expect_ordered_request("/t").respond_with_data(
        "rustig aan", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/t").respond_with_json({"ok": True})
    client, waits = client_for(httpserver, tmp_path)
    assert client.get_json(httpserver.url_for("/t")) == {"ok": True}
    assert waits == [7.0]


def test_a_retry_after_beyond_the_limit_fails_at_once(httpserver: HTTPServer, tmp_path: Path):
    httpserver.expect_request("/t").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    client, waits = client_for(httpserver, tmp_path)
    with pytest.raises(SourceError, match="vraagt 3600 seconden te wachten"):
        client.get_json(httpserver.url_for("/t"))
    assert waits == []


def test_persistent_5xx_names_the_service_and_the_attempts(httpserver: HTTPServer, tmp_path: Path):
    httpserver.expect_request("/t").respond_with_data("", status=503)
    client, waits = client_for(httpserver, tmp_path)
    with pytest.raises(SourceError) as caught:
        client.get_json(httpserver.url_for("/t"))
    message = str(caught.value)
    assert "antwoordde met HTTP 503" in message and "3 pogingen" in message
    assert "niets gewijzigd" in message and len(waits) == 2


def test_404_is_not_retried(httpserver: HTTPServer, tmp_path: Path):
    httpserver.expect_request("/t").respond_with_data("weg", status=404)
    client, waits = client_for(httpserver, tmp_path)
    with pytest.raises(SourceError, match="HTTP 404"):
        client.get_json(httpserver.url_for("/t"))
    assert waits == [] and len(httpserver.log) == 1


def test_timeout_is_a_dutch_message(httpserver: HTTPServer, tmp_path: Path):
    def slow(_request: Request) -> Response:
        time.sleep(0.6)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/traag").respond_with_handler(slow)
    client, _ = client_for(httpserver, tmp_path, timeout_s=0.2, retries=0)
    with pytest.raises(SourceError) as caught:
        client.get_json(httpserver.url_for("/traag"))
    assert "gaf geen antwoord binnen 0.2 seconden" in str(caught.value)
    assert caught.value.kind == "offline"


def test_malformed_json_names_the_url_and_is_not_cached(httpserver: HTTPServer, tmp_path: Path):
    httpserver.expect_ordered_request("/kapot").respond_with_data(
        "<html>onderhoud</html>", content_type="text/html"
    )
    httpserver.expect_ordered_request("/kapot").respond_with_json({"value": []})
    client, _ = client_for(httpserver, tmp_path)
    url = httpserver.url_for("/kapot")
    with pytest.raises(SourceError) as caught:
        client.get_json(url)
    message = str(caught.value)
    assert "geen geldige JSON" in message and url in message and "<html>onderhoud" in message
    assert client.get_json(url) == {"value": []}  # asked again, not served from the cache


def test_offline_is_a_clear_message(tmp_path: Path):
    settings = SourceSettings(cache_dir=tmp_path / "c", retries=1, backoff_s=0.0, timeout_s=1.0)
    client = HttpClient(settings, sleep=lambda _s: None)
    with pytest.raises(SourceError) as caught:
        client.get_json("http://127.0.0.1:9/niets")  # the discard port: nobody listens
    assert "is niet bereikbaar (geen internetverbinding?)" in str(caught.value)
    assert not is_online(SourceSettings(pdok_url="http://127.0.0.1:9"), timeout_s=0.5)


def test_answers_are_cached_per_request_and_carry_the_user_agent(
    httpserver: HTTPServer, tmp_path: Path
):
    httpserver.expect_request("/t").respond_with_json({"n": 1})
    client, _ = client_for(httpserver, tmp_path)
    url = httpserver.url_for("/t")
    assert client.get_json(url, params={"a": 1}) == client.get_json(url, params={"a": 1})
    client.get_json(url, params={"a": 2})
    assert client.network_requests == 2 and len(httpserver.log) == 2
    agent = httpserver.log[0][0].headers["User-Agent"]
    assert agent.startswith("Wijkkompas/0.1.0 (+")
    assert is_online(client.settings, timeout_s=1.0)


def test_settings_from_environment(tmp_path: Path):
    settings = SourceSettings.from_env(
        {
            "WIJKKOMPAS_PDOK_URL": "http://localhost:1234/",
            "WIJKKOMPAS_RETRIES": "5",
            "WIJKKOMPAS_TIMEOUT_S": "2.5",
            "WIJKKOMPAS_CACHE_DIR": str(tmp_path),
        },
        page_size=50,
    )
    assert settings.pdok_url == "http://localhost:1234" and settings.retries == 5
    assert settings.timeout_s == 2.5 and settings.cache_dir == tmp_path
    assert settings.page_size == 50
    assert settings.ogc_api(2024) == "http://localhost:1234/cbs/wijken-en-buurten-2024/ogc/v1"
    assert SourceSettings().cache_dir.name == "wijkkompas"
