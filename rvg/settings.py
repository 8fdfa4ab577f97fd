"""Runtime settings: one pydantic-settings class, read from ``RVG_*`` environment variables.

Secrets (the SMTP password) have no default and never live in the repository. The defaults
are those of local development: a SQLite file under ``var/`` and the local SMTP sink.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rvg.clock import DEFAULT_TIMEZONE_NAME, known_timezone
from rvg.errors import UserError

if TYPE_CHECKING:  # icalendar only where a calendar is made
    pass

PLACEHOLDER_SECRETS = frozenset(
    {"changeme", "changethis", "password", "secret", "wachtwoord", "test"}
)
LOCAL_HOSTS = frozenset({"localhost"})
SUPPORTED_DATABASES = frozenset({"sqlite", "postgresql"})


PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    return Path.cwd() / "var"


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'rvg.sqlite'}"


def is_loopback(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and production."""

    model_config = SettingsConfigDict(env_prefix="RVG_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    config_dir: Path = PROJECT_ROOT / "config"
    data_dir: Path = Field(default_factory=default_data_dir)  # files holding personal data
    erasure_key: SecretStr | None = None  # the key of the tombstones; else data_dir/erasure.key
    output_dir: Path = Path("out")
    import_max_rows: int = Field(default=200_000, ge=1, le=10_000_000)  # per imported file
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=8025, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    mail_from: str = "Ruimte voor Groei <noreply@ruimtevoorgroei.localhost>"
    web_base_url: str = "http://127.0.0.1:8000"
    # token links that answered "not found" per client and minute before the 429 page
    web_token_misses_per_minute: int = Field(default=20, ge=1, le=10_000)
    dispatch_lease_seconds: int = Field(default=300, ge=10)
    dispatch_concurrency: int = Field(default=4, ge=1, le=64)
    dispatch_max_attempts: int = Field(default=8, ge=1, le=50)
    dispatch_rate_per_minute: int | None = Field(default=None, ge=1)
    timezone: str = DEFAULT_TIMEZONE_NAME

    _known_timezone = field_validator("timezone")(known_timezone)

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        accepted = "use sqlite:///PATH/rvg.sqlite or postgresql+psycopg://USER@HOST:5432/DATABASE"
        try:
            url = make_url(value.strip())
        except (ArgumentError, ValueError):
            raise ValueError(f"{value!r} is not a database URL; {accepted}") from None
        if url.get_backend_name() not in SUPPORTED_DATABASES:
            raise ValueError(
                f"the database {url.get_backend_name()!r} is not supported; {accepted}"
            )
        if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
            raise ValueError(f"the driver {url.get_driver_name()!r} is not installed; {accepted}")
        if url.get_backend_name() == "sqlite" and not url.database:
            raise ValueError(f"give the SQLite file; {accepted}")
        return value.strip()

    @field_validator("web_base_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        """The address people open the links at: every link in every e-mail is built on it,
        so it is https wherever it is not this machine's loopback (a link over plain http
        shows its token to the network)."""
        from urllib.parse import urlsplit

        text = value.strip()
        try:
            parts = urlsplit(text)
            host = parts.hostname
            parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not host:
            raise ValueError(f"{text!r}: give the public address, e.g. https://rvg.example.nl")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ValueError(f"{text!r}: no user, password, query or fragment in the address")
        if parts.scheme == "http" and not is_loopback(host):
            raise ValueError(f"{text!r}: use https:// for an address outside this machine")
        return text.rstrip("/")

    @model_validator(mode="after")
    def _safe_smtp(self) -> Settings:
        password = self.smtp_password.get_secret_value() if self.smtp_password else None
        if self.smtp_username and not password:
            raise ValueError("RVG_SMTP_USERNAME is set but RVG_SMTP_PASSWORD is not")
        if password and password.lower() in PLACEHOLDER_SECRETS:
            raise ValueError("RVG_SMTP_PASSWORD is a placeholder; set the real secret")
        if password and self.smtp_tls == "none" and not is_loopback(self.smtp_host):
            raise ValueError(
                "refusing to send SMTP credentials unencrypted to a remote host: "
                "set RVG_SMTP_TLS to starttls or tls"
            )
        return self

    @property
    def sender_address(self) -> str:
        """The address of ``mail_from``, without its display name."""
        return self.mail_from.rsplit("<", 1)[-1].rstrip(">").strip()

    @property
    def mail_domain(self) -> str:
        """The domain of the sender address, used in Message-IDs."""
        address = self.sender_address
        return address.rsplit("@", 1)[-1] if "@" in address else "localhost"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_settings() -> Settings:
    """Read the settings from the environment; a bad value is a user error naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = "RVG_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
            problems.append(f"{field}: {error['msg'].removeprefix('Value error, ')}")
        raise UserError("invalid settings:\n  - " + "\n  - ".join(problems)) from None
