"""What every request to the web app passes: headers on error pages, the body limit, the
cross-site check, an access log without tokens, and a 500 that logs no form values."""

import logging
import os
import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi.testclient import TestClient

from rvg.db import make_engine, make_sessionmaker
from rvg.loopback import free_port
from rvg.settings import PROJECT_ROOT, Settings
from rvg.web.app import SECURITY_HEADERS, create_app
from rvg.web.guard import MAX_BODY_BYTES, MissCounter, redact_path
from tests.utils.web import Clock, client, invitation_token

DURING = datetime(2026, 9, 20, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
ANSWER = {
    "takes_part": "ja",
    "vacancies_ro": "2",
    "vacancies_vm": "1",
    "agrees_to_costs": "ja",
    "signed_by_name": "A. de Vries",
    "signed_by_function": "Gemeentesecretaris",
}
TOKEN = "Abcdefghijklmnopqrstuvwxyz0123456789_-ABCDE"


def _has_security_headers(response) -> bool:
    return all(response.headers.get(name) == value for name, value in SECURITY_HEADERS.items())


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/aanmelden/{TOKEN}", "/aanmelden/…"),
        (f"/enquete/{TOKEN}/iets", "/enquete/…"),
        ("/aanmelden/kort", "/aanmelden/…"),
        (f"/onbekend/{TOKEN}", "/onbekend/…"),
        ("/static/style.css", "/static/style.css"),
        ("/", "/"),
    ],
)
def test_paths_are_logged_without_their_token(path, logged):
    assert redact_path(path) == logged


@pytest.fixture
def token(engine):
    return invitation_token(engine)


def test_cross_site_posts_get_a_dutch_403_and_store_nothing(engine, token):
    web = client(engine, Clock(DURING))
    refused = [
        web.post(f"/aanmelden/{token}", data=ANSWER, headers=headers)
        for headers in (
            {"Origin": "https://kwaadwillend.example"},
            {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site", "Origin": "http://testserver"},
        )
    ]
    assert {response.status_code for response in refused} == {403}
    assert "alleen worden verstuurd vanaf de pagina zelf" in refused[0].text
    assert all(_has_security_headers(response) for response in refused)
    assert web.get(f"/aanmelden/{token}").status_code == 200  # nothing was stored
    allowed = [
        web.post(f"/aanmelden/{token}", data=ANSWER, headers=headers)
        for headers in (
            {"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"},  # public URL
            {"Origin": "http://testserver"},  # the host the request was sent to
            {"Origin": "null", "Sec-Fetch-Site": "same-origin"},  # Chromium, no-referrer page
            {},  # neither header: not a browser another site can drive
        )
    ]
    assert [response.status_code for response in allowed] == [303, 303, 303, 303]


def test_a_body_over_the_limit_gets_a_dutch_413_with_the_headers(engine, token):
    web = client(engine, Clock(DURING))
    big = {**ANSWER, "comment": "x" * (MAX_BODY_BYTES + 1)}
    announced = web.post(f"/aanmelden/{token}", data=big)

    def stream():  # no Content-Length: the limit counts what arrives
        for _ in range(MAX_BODY_BYTES // 1024 + 2):
            yield b"comment=" + b"x" * 1024

    streamed = web.post(
        f"/aanmelden/{token}",
        content=stream(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    for response in (announced, streamed):
        assert response.status_code == 413
        assert "te groot" in response.text and '<html lang="nl">' in response.text
        assert _has_security_headers(response)


def test_a_500_is_the_dutch_page_with_headers_and_logs_no_values(tmp_path, caplog):
    broken = make_engine(f"sqlite:///{tmp_path / 'leeg.sqlite'}")  # no tables at all
    app = create_app(Settings(), make_sessionmaker(broken), now=Clock(DURING))
    web = TestClient(app, raise_server_exceptions=True)
    secret_value = "Geheime-Naam-Qxyzzy"
    with caplog.at_level(logging.INFO, logger="rvg.web"):
        response = web.post(f"/aanmelden/{TOKEN}", data={**ANSWER, "signed_by_name": secret_value})
    assert response.status_code == 500
    assert "uw antwoord is niet opgeslagen" in response.text and _has_security_headers(response)
    logged = caplog.text
    assert "OperationalError" in logged and "POST /aanmelden/… 500" in logged
    for leak in (TOKEN, secret_value, "[parameters", "SELECT"):
        assert leak not in logged
    broken.dispose()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rvg_web_logs_requests_without_tokens(database_url, tmp_path):
    from tests.utils.cli import run_rvg

    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    port = free_port("127.0.0.1")
    # The only public part needs no Prefect API: point it at a port where nothing listens.
    env = {
        **os.environ,
        "RVG_DATABASE_URL": database_url,
        "PREFECT_API_URL": "http://127.0.0.1:9/api",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "rvg", "web", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/gezondheid", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        assert httpx.get(f"{base}/aanmelden/{TOKEN}?x=1").status_code == 404
        assert httpx.post(f"{base}/enquete/{TOKEN}", data={"remark": "geheim"}).status_code == 404
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "127.0.0.1 GET /aanmelden/… 404" in output and "127.0.0.1 POST /enquete/… 404" in output
    assert TOKEN not in output and "geheim" not in output and "x=1" not in output


def test_a_client_guessing_links_gets_the_dutch_429_and_others_do_not(engine, token):
    app = create_app(Settings(web_token_misses_per_minute=5), make_sessionmaker(engine))
    guesser = TestClient(app, client=("203.0.113.7", 40000))
    other = TestClient(app, client=("198.51.100.2", 40000))
    wrong = [f"/enquete/{TOKEN[:-4]}{n:04d}" for n in range(8)]
    statuses = [guesser.get(path).status_code for path in wrong]
    assert statuses == [404] * 5 + [429] * 3
    refused = guesser.get(f"/aanmelden/{token}")  # even a good link waits out the minute
    assert refused.status_code == 429 and _has_security_headers(refused)
    assert "te vaak een link" in refused.text and '<html lang="nl">' in refused.text
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert guesser.get("/").status_code == 200  # only token paths are held back
    assert other.get(f"/aanmelden/{token}").status_code == 200


def test_the_miss_count_forgets_after_its_window_and_keeps_few_clients():
    now = [1000.0]
    misses = MissCounter(3, window=60, clients=2, clock=lambda: now[0])
    for _ in range(3):
        misses.miss("a")
    assert misses.wait("a") == 60
    now[0] += 30
    assert misses.wait("a") == 30
    now[0] += 30.5
    assert misses.wait("a") is None
    for who in ("a", "b", "c"):
        misses.miss(who)
    assert set(misses._misses) == {"b", "c"}  # the longest quiet client is forgotten


def test_every_page_names_the_team_people_can_reach(engine, token, tmp_path):
    from tests.utils.config_files import copy_config, replace_in

    config = copy_config(tmp_path)
    replace_in(config / "programme.yaml", "projectteam@ruimtevoorgroei.example", "rvg@brabant.nl")
    app = create_app(Settings(config_dir=config), make_sessionmaker(engine), now=Clock(DURING))
    web = TestClient(app, follow_redirects=False)
    pages = [web.get(f"/aanmelden/{token}"), web.get("/bestaat-niet"), web.get("/")]
    assert [page.status_code for page in pages] == [200, 404, 200]
    for page in pages:
        assert 'href="mailto:rvg@brabant.nl"' in page.text and "073 000 00 00" in page.text
    assert "neem dan contact op met het projectteam: " in pages[1].text
