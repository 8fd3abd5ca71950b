"""siyada.lang: the Moroccan language toolkit.

Script detection, language identification (Darija in Arabic script and Arabizi, MSA, Tamazight
in Tifinagh and Latin, French, English, Spanish), code-switch segmentation, transliteration,
normalisation, search keys and tokenizer fertility.

Key decision: importing this package is light — names are resolved lazily on first use
(PEP 562), so ``from siyada.lang import detect_script`` loads neither the trained model nor any
optional dependency.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "ScriptInfo": "siyada.lang.script",
    "detect_script": "siyada.lang.script",
    "Identification": "siyada.lang.lid",
    "identify": "siyada.lang.lid",
    "identify_batch": "siyada.lang.lid",
    "Span": "siyada.lang.codeswitch",
    "segment": "siyada.lang.codeswitch",
    "Transliteration": "siyada.lang.translit",
    "transliterate": "siyada.lang.translit",
    "normalize": "siyada.lang.orthography",
    "search_key": "siyada.lang.searchkey",
    "fertility": "siyada.lang.tokencost",
    "FertilityRow": "siyada.lang.tokencost",
    "gguf_tokenizer": "siyada.lang.tokencost",
    "embedder_tokenizer": "siyada.lang.tokencost",
}
LABELS = ("ary_Arab", "ary_Latn", "arb_Arab", "zgh_Tfng", "ber_Latn", "fra_Latn", "eng_Latn", "spa_Latn", "und")

__all__ = [
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
]

if TYPE_CHECKING:
    from siyada.lang.codeswitch import Span, segment
    from siyada.lang.lid import Identification, identify, identify_batch
    from siyada.lang.orthography import normalize
    from siyada.lang.script import ScriptInfo, detect_script
    from siyada.lang.searchkey import search_key
    from siyada.lang.tokencost import FertilityRow, embedder_tokenizer, fertility, gguf_tokenizer
    from siyada.lang.translit import Transliteration, transliterate


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'siyada.lang' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
