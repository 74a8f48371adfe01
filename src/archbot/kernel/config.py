"""The optional YAML config file (ARCHBOT_CONFIG, default ARCHBOT_HOME/config.yaml).

It holds what does not fit in environment variables: path rules that mark documents restricted,
which document sets and visibilities each Slack channel may draw on, and the sources `archbot sync`
keeps indexed.

```yaml
visibility:                 # first matching rule wins; front matter `visibility:` overrides
  - match: "standards/security-*"
    visibility: restricted
channels:                   # Slack channel id -> scope; "default" applies to every other channel
  C0SECURITY:
    sources: ["standards/", "adr/"]
    visibility: [public, restricted]
  default:
    visibility: [public]
sources:                    # `archbot sync`: documents are named <name>/<path in the source>
  - name: platform
    git: https://git.example.com/platform/adrs.git
    branch: main            # optional: the remote's default branch otherwise
    paths: [docs/adr]       # optional: the whole repository otherwise
  - name: handbook
    path: /srv/handbook     # a folder on this machine
sync_interval_minutes: 15   # how often `archbot slack` syncs the sources
```

Credentials never go in this file: Git takes them from the environment or its credential helper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import yaml

from archbot.kernel.errors import ConfigError
from archbot.kernel.types import PUBLIC, Filters


@dataclass(frozen=True)
class VisibilityRule:
    match: str
    visibility: str


@dataclass(frozen=True)
class ChannelScope:
    sources: tuple[str, ...] = ()
    visibility: tuple[str, ...] = (PUBLIC,)

    def filters(self) -> Filters:
        return Filters(source_prefixes=self.sources, visibilities=self.visibility)


_SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
DEFAULT_SYNC_MINUTES = 15
SOURCES_HINT = (
    "Each entry of `sources:` is `{name, git: URL, branch?, paths?: [...]}` or `{name, path: DIR}` "
    "(see the README's sources section)."
)


def redact(text: str) -> str:
    """`https://user:secret@host/x` as `https://***@host/x`: what any message may show of a URL."""
    return _USERINFO.sub("***@", text)


@dataclass(frozen=True)
class SourceSpec:
    """One entry of `sources:`: a Git repository (optionally a branch and some folders of it) or a
    folder on this machine."""

    name: str
    git: str | None = None
    branch: str | None = None
    paths: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def location(self) -> str:
        return redact(self.git) if self.git else str(self.path)


def _source(entry: object, base: Path) -> SourceSpec:
    """One `sources:` entry, validated; every error says what to write instead."""
    if not isinstance(entry, dict):
        raise ConfigError(f"A source entry is {entry!r}, not a mapping.", SOURCES_HINT)
    name = str(entry.get("name") or "")
    if not _SOURCE_NAME.match(name):
        raise ConfigError(
            f"The source name {name!r} is missing or not a plain name.",
            "Give each source a `name:` of letters, digits, '.', '_' or '-' (no '/'); it prefixes its "
            "documents' names.",
        )
    unknown = sorted(set(entry) - {"name", "git", "branch", "paths", "path"})
    if unknown:
        raise ConfigError(f"Source {name!r} has unknown keys: {', '.join(unknown)}.", SOURCES_HINT)
    if ("git" in entry) == ("path" in entry):
        raise ConfigError(f"Source {name!r} needs exactly one of `git:` and `path:`.", SOURCES_HINT)
    if "path" in entry:
        if "branch" in entry or "paths" in entry:
            raise ConfigError(
                f"Source {name!r} is a folder; `branch:` and `paths:` apply to `git:` sources only.",
                "Point `path:` at the folder to index instead.",
            )
        folder = Path(str(entry["path"])).expanduser()
        return SourceSpec(name=name, path=folder if folder.is_absolute() else base / folder)
    url = str(entry["git"] or "")
    if not url:
        raise ConfigError(f"Source {name!r} has an empty `git:` URL.", SOURCES_HINT)
    if "://" in url and urlsplit(url).password is not None:
        raise ConfigError(
            f"The URL of source {name!r} ({redact(url)}) contains a password.",
            "Remove it from config.yaml and let Git supply it: a credential helper "
            "(`git config --global credential.helper ...`) or an SSH key.",
        )
    branch = entry.get("branch")
    if branch is not None and (not isinstance(branch, str) or not branch.strip()):
        raise ConfigError(
            f"Source {name!r} has branch {branch!r}.", "Give `branch:` a branch name, or omit it."
        )
    raw_paths = entry.get("paths") or []
    paths = []
    for raw in raw_paths if isinstance(raw_paths, list) else [raw_paths]:
        inside = PurePosixPath(str(raw).strip("/"))
        if not isinstance(raw, str) or ".." in inside.parts or not inside.parts or raw.startswith("/"):
            raise ConfigError(
                f"Source {name!r} lists the path {raw!r}.",
                "List folders or files inside the repository, relative to its root "
                "(e.g. `paths: [docs/adr]`).",
            )
        paths.append(str(inside))
    return SourceSpec(name=name, git=url, branch=branch, paths=tuple(dict.fromkeys(paths)))


def _sources(data: dict, base: Path) -> tuple[SourceSpec, ...]:
    entries = data.get("sources") or []
    if not isinstance(entries, list):
        raise ConfigError("`sources:` in the config file is not a list.", SOURCES_HINT)
    sources = tuple(_source(entry, base) for entry in entries)
    names = [s.name for s in sources]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(
            f"The source name {repeated[0]!r} is used more than once.", "Give every source its own name."
        )
    return sources


def _interval(data: dict) -> int:
    value = data.get("sync_interval_minutes", DEFAULT_SYNC_MINUTES)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(
            f"sync_interval_minutes is {value!r}.",
            f"Give it a whole number of minutes, at least 1 (default {DEFAULT_SYNC_MINUTES}).",
        )
    return value


@dataclass(frozen=True)
class Config:
    visibility_rules: tuple[VisibilityRule, ...] = ()
    channels: dict[str, ChannelScope] = field(default_factory=dict)
    sources: tuple[SourceSpec, ...] = ()
    sync_interval_minutes: int = DEFAULT_SYNC_MINUTES

    def visibility_for(self, source: str, declared: str | None) -> str:
        """Front matter wins; otherwise the first path rule that matches; otherwise public."""
        if declared and declared != PUBLIC:
            return declared
        for rule in self.visibility_rules:
            if fnmatch(source, rule.match):
                return rule.visibility
        return declared or PUBLIC

    def scope_for(self, channel: str | None) -> ChannelScope:
        """A channel's scope; channels not listed get "default", which is public-only unless configured."""
        if channel and channel in self.channels:
            return self.channels[channel]
        return self.channels.get("default", ChannelScope())

    @classmethod
    def load(cls, path: Path | None) -> Config:
        if path is None or not path.exists():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(
                f"Cannot read the config file {path}: {exc}.",
                "Fix its YAML or point ARCHBOT_CONFIG elsewhere.",
            ) from exc
        if not isinstance(data, dict):
            raise ConfigError(
                f"The config file {path} is not a mapping.", "See the README's configuration section."
            )
        try:
            rules = tuple(
                VisibilityRule(str(r["match"]), str(r["visibility"])) for r in data.get("visibility") or []
            )
            channels = {
                str(name): ChannelScope(
                    sources=tuple(str(s) for s in (scope or {}).get("sources") or ()),
                    visibility=tuple(str(v) for v in (scope or {}).get("visibility") or (PUBLIC,)),
                )
                for name, scope in (data.get("channels") or {}).items()
            }
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(
                f"The config file {path} has an invalid entry ({exc}).",
                "Each visibility rule needs `match` and `visibility`; each channel a mapping.",
            ) from exc
        return cls(
            visibility_rules=rules,
            channels=channels,
            sources=_sources(data, path.parent),
            sync_interval_minutes=_interval(data),
        )
