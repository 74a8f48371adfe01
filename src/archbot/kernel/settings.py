"""One frozen, typed settings object, built from the environment once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path

from archbot.kernel.errors import ConfigError


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "archbot"


def _env(name: str) -> dict:
    """Field metadata: the environment variable a setting is read from."""
    return {"env": name}


def _parse(name: str, raw: str, kind: str, default: object) -> object:
    """A variable's text as the field's type; a wrong one is an error that shows a valid value."""
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(
                f"{name}={raw!r} is not a whole number.", f"Set {name} to e.g. {default}."
            ) from None
    if kind == "float":
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a number.", f"Set {name} to e.g. {default}.") from None
    if "Path" in kind:
        return Path(raw).expanduser()
    return raw


@dataclass(frozen=True)
class Settings:
    """Everything archbot can be configured with. See the README's configuration table.

    Each field names its environment variable in its metadata; `from_env` reads exactly those, so a
    default is written once, here. An unset or empty variable keeps the default.
    """

    home: Path = field(default_factory=_default_home, metadata=_env("ARCHBOT_HOME"))
    embedder: str = field(default="minilm", metadata=_env("ARCHBOT_EMBEDDER"))
    # Unset: `models/` in the home directory. Holds the ONNX export of the embedding model.
    model_cache: Path | None = field(default=None, metadata=_env("ARCHBOT_MODEL_CACHE"))
    chroma_url: str | None = field(default=None, metadata=_env("ARCHBOT_CHROMA_URL"))
    collection: str = field(default="archbot", metadata=_env("ARCHBOT_COLLECTION"))
    llm: str | None = field(default=None, metadata=_env("ARCHBOT_LLM"))
    llm_base_url: str | None = field(default=None, metadata=_env("ARCHBOT_LLM_BASE_URL"))
    llm_api_key: str | None = field(default=None, metadata=_env("ARCHBOT_LLM_API_KEY"))
    llm_timeout_s: float = field(default=60.0, metadata=_env("ARCHBOT_LLM_TIMEOUT"))
    prompts_dir: Path | None = field(default=None, metadata=_env("ARCHBOT_PROMPTS_DIR"))
    # Unset: `config.yaml` in the home directory.
    config_file: Path | None = field(default=None, metadata=_env("ARCHBOT_CONFIG"))
    max_file_bytes: int = field(default=1_000_000, metadata=_env("ARCHBOT_MAX_FILE_BYTES"))
    # Seconds a `git fetch` of a configured source may take before it is reported as failed.
    git_timeout_s: float = field(default=300.0, metadata=_env("ARCHBOT_GIT_TIMEOUT"))
    chunk_chars: int = field(default=1000, metadata=_env("ARCHBOT_CHUNK_CHARS"))
    # PDF, DOCX and HTML files: the file itself may be larger than max_file_bytes (images, fonts);
    # the Markdown converted from it is held to max_file_bytes like any text file (docs/adr/0015).
    max_convert_bytes: int = field(default=20_000_000, metadata=_env("ARCHBOT_MAX_CONVERT_BYTES"))
    convert_timeout_s: float = field(default=30.0, metadata=_env("ARCHBOT_CONVERT_TIMEOUT"))
    # Address space of the worker process that converts; past it the file is skipped, not the run.
    convert_memory_mb: int = field(default=1024, metadata=_env("ARCHBOT_CONVERT_MEMORY_MB"))
    max_pdf_pages: int = field(default=500, metadata=_env("ARCHBOT_MAX_PDF_PAGES"))
    # DOCX files are zip archives: bounded before parsing, so a zip bomb is refused unopened.
    max_zip_entries: int = field(default=2000, metadata=_env("ARCHBOT_MAX_ZIP_ENTRIES"))
    max_unzipped_bytes: int = field(default=100_000_000, metadata=_env("ARCHBOT_MAX_UNZIPPED_BYTES"))
    max_zip_ratio: int = field(default=100, metadata=_env("ARCHBOT_MAX_ZIP_RATIO"))
    top_k: int = field(default=6, metadata=_env("ARCHBOT_TOP_K"))
    slack_bot_token: str | None = field(default=None, metadata=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = field(default=None, metadata=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: str | None = field(default=None, metadata=_env("SLACK_APP_TOKEN"))
    slack_api_url: str | None = field(default=None, metadata=_env("SLACK_API_URL"))
    # Answers computed at once; each holds a CPU while it embeds and ranks, so about the core count.
    slack_workers: int = field(default=4, metadata=_env("ARCHBOT_SLACK_WORKERS"))
    # Jobs waiting for a worker; past this a request is acknowledged and told to retry later.
    slack_queue: int = field(default=64, metadata=_env("ARCHBOT_SLACK_QUEUE"))
    # Largest request body the HTTP mode reads; Slack's own payloads stay far below (see docs/slack.md).
    slack_max_body_bytes: int = field(default=256 * 1024, metadata=_env("ARCHBOT_SLACK_MAX_BODY_BYTES"))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f.metadata["env"]
            raw = env.get(name)
            if raw not in (None, ""):
                default = f.default if f.default is not MISSING else None
                values[f.name] = _parse(name, raw, str(f.type), default)
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.config_file is None:
            settings = settings.with_(config_file=settings.home / "config.yaml")
        return settings

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def db_path(self) -> Path:
        return self.home / "archbot.db"

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def model_cache_dir(self) -> Path:
        return self.model_cache or self.home / "models"

    @property
    def lexical_path(self) -> Path:
        """The persisted BM25 index, one folder per manifest fingerprint."""
        return self.home / "lexical"

    def __repr__(self) -> str:
        """Never print secrets: tokens and the signing secret are masked."""
        secret = {"llm_api_key", "slack_bot_token", "slack_signing_secret", "slack_app_token"}
        parts = []
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            parts.append(f"{name}={'***' if name in secret and value else value!r}")
        return f"Settings({', '.join(parts)})"
