import pytest

from siyada.backends.fake import FakeBackend, FakeEmbedder
from siyada.backends.registry import ModelRegistry
from siyada.errors import ConfigError, ModelNotFoundError
from siyada.settings import ModelConfig, load_settings


def test_embedded_defaults_when_nothing_configured() -> None:
    reg = ModelRegistry(load_settings())
    assert [c.name for c in reg.configs()] == ["gemma-3-270m", "multilingual-e5-small"]
    assert reg.loaded() == []  # nothing is loaded until used


def test_lazy_instances_and_kinds() -> None:
    reg = ModelRegistry(
        load_settings(
            models=[ModelConfig(name="c", backend="fake"), ModelConfig(name="e", backend="fake", kind="embedding")]
        )
    )
    assert isinstance(reg.backend("c"), FakeBackend) and reg.backend("c") is reg.backend("c")
    assert isinstance(reg.embedder("e"), FakeEmbedder)
    with pytest.raises(ModelNotFoundError):
        reg.backend("e")
    with pytest.raises(ModelNotFoundError, match="configured models: c, e"):
        reg.backend("zzz")


def test_bad_registry_config() -> None:
    with pytest.raises(ConfigError, match="unknown chat backend 'torch'"):
        ModelRegistry(load_settings(models=[ModelConfig(name="x", backend="torch")]))
    with pytest.raises(ConfigError, match="twice"):
        ModelRegistry(load_settings(models=[ModelConfig(name="x", backend="fake")] * 2))
