import pytest

from rvg.errors import UserError
from rvg.settings import Settings, load_settings


def test_defaults_are_local_development(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("RVG_DATABASE_URL", "RVG_SMTP_HOST", "RVG_SMTP_PASSWORD", "RVG_SMTP_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'rvg.sqlite'}"
    assert settings.smtp_host == "127.0.0.1"
    assert settings.smtp_password is None
    assert settings.timezone == "Europe/Amsterdam"


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("RVG_DATABASE_URL", "postgresql+psycopg://u@db/rvg")
    monkeypatch.setenv("RVG_SMTP_TLS", "starttls")
    monkeypatch.setenv("RVG_WEB_BASE_URL", "https://forms.example.nl/")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u@db/rvg"
    assert settings.smtp_tls == "starttls"
    assert settings.web_base_url == "https://forms.example.nl"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RVG_SMTP_TLS": "ssl"}, "RVG_SMTP_TLS"),
        ({"RVG_TIMEZONE": "Europe/Amsterdamm"}, "RVG_TIMEZONE"),
        ({"RVG_SMTP_USERNAME": "mailer"}, "RVG_SMTP_PASSWORD is not"),
        ({"RVG_SMTP_USERNAME": "m", "RVG_SMTP_PASSWORD": "changeme"}, "placeholder"),
        (
            {
                "RVG_SMTP_HOST": "smtp.example.nl",
                "RVG_SMTP_USERNAME": "m",
                "RVG_SMTP_PASSWORD": "s3cr3t-value",
            },
            "unencrypted",
        ),
    ],
)
def test_bad_settings_are_a_user_error_naming_the_variable(monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(UserError, match=message):
        load_settings()


def test_real_credentials_over_tls_are_accepted(monkeypatch):
    monkeypatch.setenv("RVG_SMTP_HOST", "smtp.example.nl")
    monkeypatch.setenv("RVG_SMTP_USERNAME", "mailer")
    monkeypatch.setenv("RVG_SMTP_PASSWORD", "a-real-long-secret")
    monkeypatch.setenv("RVG_SMTP_TLS", "tls")
    settings = load_settings()
    assert settings.smtp_password is not None
    assert "a-real-long-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://forms.example.nl", "use https:// for an address outside this machine"),
        ("http://192.168.1.20:8000", "use https://"),
        ("ftp://forms.example.nl", "give the public address"),
        ("forms.example.nl", "give the public address"),
        ("https://", "give the public address"),
        ("https://user:pw@forms.example.nl", "no user, password"),
        ("https://forms.example.nl/?next=1", "no user, password, query"),
        ("https://forms.example.nl:port", "is not a URL"),
    ],
)
def test_the_public_web_address_is_https_outside_loopback(monkeypatch, url, message):
    monkeypatch.setenv("RVG_WEB_BASE_URL", url)
    with pytest.raises(UserError, match="RVG_WEB_BASE_URL") as refused:
        load_settings()
    assert message in str(refused.value)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8765", "http://localhost:8000/", "https://rvg.brabant.nl/formulieren/"],
)
def test_loopback_may_be_plain_http_and_a_path_prefix_is_kept(monkeypatch, url):
    monkeypatch.setenv("RVG_WEB_BASE_URL", url)
    assert load_settings().web_base_url == url.rstrip("/")
