"""Settings dataclasses (quizapp.settings): fields read from a config by their setting's key."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.config import DEFAULTS
from quizapp.services.accounts import AccountSettings
from quizapp.services.attempts import SubmitLimits
from quizapp.settings import Settings, group, setting


@dataclass(frozen=True)
class _Inner(Settings):
    limit: int = setting("SUBMIT_LIMIT_PER_USER")


@dataclass(frozen=True)
class _Outer(Settings):
    window: int = setting("SUBMIT_WINDOW_SECONDS")
    folder: str | None = setting("NOT_IN_CONFIG_PY", default=None)
    inner: _Inner = group(_Inner)
    plain: str = "kept"


def test_a_field_defaults_to_its_settings_default():
    assert _Outer() == _Outer(DEFAULTS["SUBMIT_WINDOW_SECONDS"], None, _Inner(30), "kept")


def test_from_config_reads_each_field_by_its_key_and_groups_from_the_same_config():
    config = {"SUBMIT_WINDOW_SECONDS": 5, "NOT_IN_CONFIG_PY": "/x", "SUBMIT_LIMIT_PER_USER": 2}
    assert _Outer.from_config(config) == _Outer(5, "/x", _Inner(2), "kept")


def test_a_key_missing_from_the_config_keeps_its_default():
    assert _Outer.from_config({}) == _Outer()


def test_the_services_settings_read_their_keys():
    config = {**DEFAULTS, "LOGIN_FREE_FAILURES": 2, "PASSWORD_HASH_SLOTS_DIR": "/slots"}
    settings = AccountSettings.from_config({**config, "MAX_API_TOKENS": 3})
    assert settings.sign_in.free_failures == 2
    assert (settings.hash_slots_dir, settings.max_api_tokens) == ("/slots", 3)
    assert SubmitLimits.from_config({**config, "GUEST_WINDOW_SECONDS": 9}).guest_window == 9
