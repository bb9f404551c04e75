"""The validation/parse cache: a speed-up that never changes a result."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import cache
from checker.errors import ConfigError
from checker.rules.loader import load_pack_file
from tests.test_engine import USER_PACK


def test_cache_records_success_only_and_follows_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    pack = tmp_path / "mine.yaml"
    pack.write_text(USER_PACK, encoding="utf-8")
    assert load_pack_file(pack).rules[0].code == "USR001"
    assert list((tmp_path / "cache" / "packs").iterdir())  # the success was recorded
    assert load_pack_file(pack).rules[0].code == "USR001"  # and a second load uses it
    pack.write_text(USER_PACK.replace("target: indicator", "target: everything"), encoding="utf-8")
    for _ in range(2):  # a broken pack is rejected every time: failures are never cached
        with pytest.raises(ConfigError, match="target"):
            load_pack_file(pack)


def test_cache_can_be_off_or_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_NO_CACHE", "1")
    cache.remember("packs", "x")
    assert not cache.seen("packs", "x")
    monkeypatch.delenv("JIXIAO_NO_CACHE")
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(blocked))
    cache.remember("packs", "x")  # no exception
    cache.write_json("parsed", "y", {"a": 1})
    assert not cache.seen("packs", "x") and cache.read_json("parsed", "y") is None


def test_parsed_yaml_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.resources import yaml_load

    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path))
    f = tmp_path / "x.yaml"
    f.write_text("a: [1, 2]\nb: {c: 中文}\n", encoding="utf-8")
    assert yaml_load(f) == yaml_load(f) == {"a": [1, 2], "b": {"c": "中文"}}
    f.write_bytes(b"a: \xff\xfe")
    with pytest.raises(ConfigError, match="not UTF-8"):
        yaml_load(f)


def test_an_entry_verifies_on_its_own_text_and_keeps_key_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path))
    value = {"z": [1, "中文"], "a": {"y": None, "b": True}}  # the YAML's order is what readers iterate in
    cache.write_json("parsed", "k", value)
    back = cache.read_json("parsed", "k", dict)
    assert back == value and list(back) == ["z", "a"] and list(back["a"]) == ["y", "b"]
    assert capsys.readouterr().err == ""
    (entry,) = tmp_path.glob("parsed*/k.json")
    entry.write_text(entry.read_text(encoding="utf-8").replace('"z"', '"Z"'), encoding="utf-8")
    assert cache.read_json("parsed", "k", dict) is None  # one character of the value changed: not used
    assert "did not verify" in capsys.readouterr().err
