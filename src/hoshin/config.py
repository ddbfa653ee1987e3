"""Typed settings, read from the environment with the prefix HOSHIN_."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of hoshin; the README lists them (a test keeps it so)."""

    model_config = SettingsConfigDict(env_prefix="HOSHIN_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///hoshin.db",
        description="SQLAlchemy URL of the database: SQLite (embedded default, a file in the "
        "working directory) or postgresql+psycopg://user@host:port/name for production.",
    )


def settings() -> Settings:
    """The settings of this process, read from the environment now."""
    return Settings()
