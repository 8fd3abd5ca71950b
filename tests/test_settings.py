from pathlib import Path

import pytest

from siyada.errors import ConfigError
from siyada.settings import load_settings


def test_defaults_bind_loopback_and_use_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIYADA_HOME", str(tmp_path))
    s = load_settings()
    assert s.host == "127.0.0.1" and s.home == tmp_path and s.knowledge_dir == tmp_path / "knowledge"


def test_priority_override_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("port: 9000\nqueue_size: 3\nmodels:\n  - {name: m, backend: fake}\n")
    monkeypatch.setenv("SIYADA_QUEUE_SIZE", "5")
    s = load_settings(cfg)
    assert s.port == 9000 and s.queue_size == 5 and s.models[0].name == "m" and s.config_path == cfg
    assert load_settings(cfg, port=1234).port == 1234


def test_config_in_home_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIYADA_HOME", str(tmp_path))
    (tmp_path / "config.yaml").write_text("port: 8123\n")
    assert load_settings().port == 8123


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("port: [1, 2\n", "not valid YAML"),
        ("- a\n- b\n", "mapping"),
        ("port: lots\n", "'port'"),
        ("colour: blue\n", "'colour'"),
        ("models:\n  - {name: m}\n", "models.0.backend"),
    ],
)
def test_bad_config_names_file_and_field(tmp_path: Path, text: str, fragment: str) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    assert fragment in info.value.message and "bad.yaml" in info.value.message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.yaml")
