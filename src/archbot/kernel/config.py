"""The optional YAML config file (ARCHBOT_CONFIG, default ARCHBOT_HOME/config.yaml).

It holds what does not fit in environment variables: path rules that mark documents restricted,
and which document sets and visibilities each Slack channel may draw on.

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
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

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


@dataclass(frozen=True)
class Config:
    visibility_rules: tuple[VisibilityRule, ...] = ()
    channels: dict[str, ChannelScope] = field(default_factory=dict)

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
        return cls(visibility_rules=rules, channels=channels)
