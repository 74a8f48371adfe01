"""One frozen, typed settings object, built from the environment once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from archbot.kernel.errors import ConfigError


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "archbot"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not a whole number.", f"Set {name} to e.g. {default}."
        ) from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number.", f"Set {name} to e.g. {default}.") from None


@dataclass(frozen=True)
class Settings:
    """Everything archbot can be configured with. See the README's configuration table."""

    home: Path = field(default_factory=_default_home)
    embedder: str = "minilm"
    chroma_url: str | None = None
    collection: str = "archbot"
    llm: str | None = None
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 60.0
    prompts_dir: Path | None = None
    config_file: Path | None = None
    max_file_bytes: int = 1_000_000
    chunk_chars: int = 1000
    top_k: int = 6
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    slack_workers: int = 4

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        home = Path(env["ARCHBOT_HOME"]).expanduser() if env.get("ARCHBOT_HOME") else _default_home()
        config = env.get("ARCHBOT_CONFIG")
        prompts = env.get("ARCHBOT_PROMPTS_DIR")
        return cls(
            home=home,
            embedder=env.get("ARCHBOT_EMBEDDER", "minilm"),
            chroma_url=env.get("ARCHBOT_CHROMA_URL") or None,
            collection=env.get("ARCHBOT_COLLECTION", "archbot"),
            llm=env.get("ARCHBOT_LLM") or None,
            llm_base_url=env.get("ARCHBOT_LLM_BASE_URL") or None,
            llm_api_key=env.get("ARCHBOT_LLM_API_KEY") or None,
            llm_timeout_s=_float(env, "ARCHBOT_LLM_TIMEOUT", 60.0),
            prompts_dir=Path(prompts) if prompts else None,
            config_file=Path(config) if config else (home / "config.yaml"),
            max_file_bytes=_int(env, "ARCHBOT_MAX_FILE_BYTES", 1_000_000),
            chunk_chars=_int(env, "ARCHBOT_CHUNK_CHARS", 1000),
            top_k=_int(env, "ARCHBOT_TOP_K", 6),
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            slack_api_url=env.get("SLACK_API_URL") or None,
            slack_workers=_int(env, "ARCHBOT_SLACK_WORKERS", 4),
        )

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)

    @property
    def db_path(self) -> Path:
        return self.home / "archbot.db"

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    def __repr__(self) -> str:
        """Never print secrets: tokens and the signing secret are masked."""
        secret = {"llm_api_key", "slack_bot_token", "slack_signing_secret", "slack_app_token"}
        parts = []
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            parts.append(f"{name}={'***' if name in secret and value else value!r}")
        return f"Settings({', '.join(parts)})"
