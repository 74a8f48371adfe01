"""Settings come from the environment through each field's declared variable, defaults written once."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from archbot.kernel.errors import ConfigError
from archbot.kernel.settings import Settings


def test_every_field_names_an_environment_variable() -> None:
    names = [f.metadata.get("env") for f in fields(Settings)]
    assert all(names)
    assert len(set(names)) == len(names)


def test_unset_and_empty_variables_keep_the_declared_defaults(tmp_path: Path) -> None:
    settings = Settings.from_env({"ARCHBOT_HOME": str(tmp_path), "ARCHBOT_TOP_K": ""})
    declared = Settings(home=tmp_path)
    for f in fields(Settings):
        if f.name != "config_file":
            assert getattr(settings, f.name) == getattr(declared, f.name), f.name
    assert settings.config_file == tmp_path / "config.yaml"


def test_variables_are_read_as_the_field_types(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "ARCHBOT_HOME": str(tmp_path),
            "ARCHBOT_TOP_K": "3",
            "ARCHBOT_LLM_TIMEOUT": "2.5",
            "ARCHBOT_PROMPTS_DIR": str(tmp_path / "p"),
            "SLACK_BOT_TOKEN": "xoxb-1",
        }
    )
    assert (settings.top_k, settings.llm_timeout_s) == (3, 2.5)
    assert settings.prompts_dir == tmp_path / "p"
    assert settings.slack_bot_token == "xoxb-1"
    assert "xoxb-1" not in repr(settings)


@pytest.mark.parametrize("name", ["ARCHBOT_TOP_K", "ARCHBOT_LLM_TIMEOUT", "ARCHBOT_SLACK_QUEUE"])
def test_a_malformed_number_says_what_to_set(name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({name: "lots"})
    assert name in str(caught.value)
