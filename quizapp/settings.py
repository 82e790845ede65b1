"""Settings dataclasses: what a service needs of the app's settings, as a frozen dataclass the
views (or the CLI) build with `from_config(config)`; services never read the app's config.

A field names the setting it holds, `setting("KEY")`, and takes that setting's default from
config.DEFAULTS, so a default is written once. No Flask here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, field, fields
from typing import Any, Self

from .config import DEFAULTS

_KEY = "quizapp_setting"  # field metadata: the setting a field holds
_GROUP = "quizapp_settings_group"  # field metadata: a Settings dataclass read from the same config


def setting(key: str, default: Any = MISSING) -> Any:
    """A dataclass field holding the setting `key`, by default config.DEFAULTS[key]; `default`
    only for a setting config.py does not give (one `quizapp serve` sets, say)."""
    return field(default=DEFAULTS[key] if default is MISSING else default, metadata={_KEY: key})


def group(cls: type[Settings]) -> Any:
    """A dataclass field holding settings of their own (a `Settings` dataclass), by default
    theirs, read by `from_config` from the same config."""
    return field(default_factory=cls, metadata={_GROUP: cls})


class Settings:
    """The base of settings dataclasses: `from_config` reads every `setting` field from a
    config mapping (a key missing there keeps the field's default) and every `group` field
    with its own class's `from_config`."""

    @classmethod
    def from_config(cls, config: Mapping) -> Self:
        values = {}
        for item in fields(cls):
            if _KEY in item.metadata:
                values[item.name] = config.get(item.metadata[_KEY], item.default)
            elif _GROUP in item.metadata:
                values[item.name] = item.metadata[_GROUP].from_config(config)
        return cls(**values)
