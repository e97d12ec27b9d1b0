"""The settings model over a real SQLite store: defaults, round trip, validation, repair."""
import json
from dataclasses import replace

import pytest

from app.settings import (BUILTIN_PRESETS, SETTINGS_KEY, Settings, SettingsError, load_settings,
                          save_settings)
from app.store import open_store
from runtime.planner import PlanPreferences
from runtime.types import GenerationOptions


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "s.sqlite3") as s:
        yield s


def test_a_new_store_gives_the_defaults_with_builtin_presets(store):
    settings = load_settings(store)
    assert settings == Settings()
    assert settings.theme == "system" and settings.language == "en"
    assert "中文助手" in settings.presets and len(settings.presets) >= 3
    assert settings.problems() == []


def test_round_trip_through_sqlite_keeps_every_field_and_chinese(store, tmp_path):
    wanted = replace(Settings(), system_prompt="请用中文回答。", temperature=0.2, top_p=0.8,
                     max_tokens=4096, n_ctx=8192, n_threads=6, theme="dark", language="zh_CN",
                     font_size=13, presets={**BUILTIN_PRESETS, "Poet": "Answer in verse."})
    save_settings(store, wanted)
    store.close()
    with open_store(tmp_path / "s.sqlite3") as again:
        assert load_settings(again) == wanted
        assert "请用中文回答" in again.get_setting(SETTINGS_KEY)  # readable, not \u-escaped


@pytest.mark.parametrize("change, words", [
    ({"temperature": 2.5}, "Temperature must be between 0 and 2"),
    ({"top_p": 0.0}, "Top-p must be between"),
    ({"max_tokens": 0}, "Maximum reply tokens must be between 1"),
    ({"max_tokens": 12.5}, "Maximum reply tokens must be an integer"),
    ({"n_ctx": 100}, "at least 256 tokens"),
    ({"n_threads": -1}, "CPU threads must be between 0"),
    ({"theme": "purple"}, "Theme must be one of light, dark, system"),
    ({"language": "fr"}, "Language must be one of en, zh_CN"),
    ({"font_size": 3}, "Font size must be between 7 and 32"),
    ({"presets": {" ": "x"}}, "Every preset needs a name"),
])
def test_invalid_values_are_refused_with_a_clear_sentence_and_nothing_is_written(store, change, words):
    bad = replace(Settings(), **change)
    with pytest.raises(SettingsError) as caught:
        save_settings(store, bad)
    assert any(words in p for p in caught.value.problems), caught.value.problems
    assert store.get_setting(SETTINGS_KEY) is None


def test_every_problem_is_reported_at_once():
    problems = replace(Settings(), temperature=-1, theme="x", font_size=99).problems()
    assert len(problems) == 3


def test_a_damaged_value_resets_only_that_field(store):
    store.set_setting(SETTINGS_KEY, json.dumps({"temperature": 9, "theme": "dark", "top_p": 1,
                                                "unknown": 1, "presets": {"Mine": "hi"}}))
    settings = load_settings(store)
    assert settings.temperature == Settings().temperature
    assert settings.theme == "dark" and settings.top_p == 1.0
    assert settings.presets["Mine"] == "hi" and "中文助手" in settings.presets


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", "null"])
def test_unreadable_settings_fall_back_to_the_defaults(store, raw):
    store.set_setting(SETTINGS_KEY, raw)
    assert load_settings(store) == Settings()


def test_generation_options_carry_the_sampling_settings():
    options = replace(Settings(), temperature=0.3, top_p=0.9, max_tokens=77).to_generation_options()
    assert isinstance(options, GenerationOptions)
    assert (options.temperature, options.top_p, options.max_tokens) == (0.3, 0.9, 77)


def test_plan_preferences_leave_zero_to_the_planner():
    assert Settings().to_plan_preferences() == PlanPreferences(n_ctx=None, n_threads=None)
    prefs = replace(Settings(), n_ctx=8192, n_threads=6).to_plan_preferences()
    assert (prefs.n_ctx, prefs.n_threads) == (8192, 6)
