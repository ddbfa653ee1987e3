"""Typed settings, read from the environment with the prefix HOSHIN_."""

from __future__ import annotations

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from hoshin.errors import InvalidInput

MEGABYTE = 1024 * 1024


class Settings(BaseSettings):
    """Every setting of hoshin; the README lists them (a test keeps it so)."""

    model_config = SettingsConfigDict(env_prefix="HOSHIN_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///hoshin.db",
        description="SQLAlchemy URL of the database: SQLite (embedded default, a file in the "
        "working directory) or postgresql+psycopg://user@host:port/name for production.",
    )
    max_body_bytes: int = Field(
        default=MEGABYTE,
        ge=1024,
        description="The largest request body the server reads, in bytes; a larger one is "
        "answered 413 before it is read.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses (or CIDR networks) of the reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto headers are believed; empty: none, the "
        "client's address is the connection's.",
    )
    smtp_url: str = Field(
        default="",
        description="The SMTP server that sends e-mail: smtp://user:password@host:587 "
        "(STARTTLS) or smtps://user:password@host:465 (TLS); empty: e-mail is off and the "
        "pages say so.",
    )
    mail_from: str = Field(
        default="hoshin@localhost",
        description="The From address of hoshin's e-mails.",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The address people reach hoshin at: links in e-mails, webhooks and "
        "calendar feeds start with it.",
    )
    llm_url: str = Field(
        default="",
        description="An OpenAI-compatible chat endpoint for the assistant's free-text "
        "rewrites (a llama.cpp, Ollama or vLLM server, e.g. http://127.0.0.1:11434/v1); "
        "hoshin posts to URL/chat/completions. Empty: no chat model, every other feature works.",
    )
    llm_model: str = Field(
        default="",
        description="The chat model's name as the endpoint knows it (e.g. llama3.2).",
    )
    llm_api_key: SecretStr = Field(
        default=SecretStr(""),
        description="The endpoint's API key, sent as 'Authorization: Bearer KEY'; empty: none.",
    )
    llm_timeout: float = Field(
        default=20.0,
        gt=0,
        le=600,
        description="Seconds to wait for the chat model (to connect, and for each part of "
        "its answer); past it the rewrite is left out.",
    )


def settings() -> Settings:
    """The settings of this process, read from the environment now; InvalidInput naming
    each variable whose value is not of its kind (never a traceback)."""
    try:
        return Settings()
    except ValidationError as error:
        problems = [
            f"HOSHIN_{'_'.join(str(p) for p in problem['loc']).upper()}: "
            f"{problem['msg']} (it is {problem.get('input')!r})"
            for problem in error.errors()
        ]
        raise InvalidInput("; ".join(problems), detail=problems) from None
