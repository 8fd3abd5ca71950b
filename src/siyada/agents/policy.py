"""Decisions made per request: the user's language, the reply language, the answer mode, and
how tool calls are obtained from the model.

``auto`` answer mode picks **extractive** when the model cannot be trusted to write a grounded
answer: its config is tagged ``base-model`` (not instruction-tuned), ``small`` or ``extractive``, or
its ``labels.parameters`` (e.g. ``"270M"``, ``"1.5B"``) is under 1 billion. The embedded
``gemma-3-270m`` is tagged ``base-model``, so a default install answers extractively.

Tool calls are **native** for backends whose wire format carries them (openai-compatible, fake)
or models tagged ``native-tools``; otherwise (llama.cpp by default) the model is asked for one
JSON object constrained by a grammar (``ResponseFormat("json_schema")``).
"""

from __future__ import annotations

import re
from typing import Literal

from siyada.agents.spec import AgentSpec
from siyada.settings import ModelConfig

SMALL_TAGS = {"base-model", "small", "extractive"}
MIN_GENERATIVE_PARAMS = 1e9
NATIVE_BACKENDS = {"openai", "fake"}
_SIZE_RE = re.compile(r"^\s*([\d.]+)\s*([kmbt]?)\s*$", re.IGNORECASE)
_SCALE = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}


def parameter_count(label: str | None) -> float | None:
    """'270M' → 2.7e8; None when the label is absent or unreadable."""
    m = _SIZE_RE.match(label or "")
    if not m:
        return None
    try:
        return float(m.group(1)) * _SCALE[m.group(2).lower()]
    except ValueError:
        return None


def too_small(cfg: ModelConfig | None) -> bool:
    if cfg is None:
        return True
    if SMALL_TAGS & set(cfg.tags):
        return True
    size = parameter_count(cfg.labels.get("parameters"))
    return size is not None and size < MIN_GENERATIVE_PARAMS


def answer_mode(
    spec: AgentSpec, cfg: ModelConfig | None, override: str | None = None
) -> Literal["generative", "extractive"]:
    mode = override or spec.answer_mode
    if mode == "auto":
        return "extractive" if too_small(cfg) else "generative"
    return "extractive" if mode == "extractive" else "generative"


def tool_calling(spec: AgentSpec, cfg: ModelConfig) -> Literal["native", "json"]:
    if spec.tool_calling != "auto":
        return spec.tool_calling
    if "native-tools" in cfg.tags or cfg.backend in NATIVE_BACKENDS:
        return "native"
    return "json"


_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_TIFINAGH = re.compile(r"[\u2d30-\u2d7f]")


def detect_language(text: str) -> str:
    """The siyada.lang label of ``text`` ('und' when unknown)."""
    try:
        from siyada.lang.lid import identify
    except ImportError:
        return _script_guess(text)
    try:
        return str(identify(text).label)
    except Exception:  # identification is advisory; never fail an answer over it
        return _script_guess(text)


def _script_guess(text: str) -> str:
    # Used only when siyada.lang is unavailable: script alone, language unknown.
    if _TIFINAGH.search(text):
        return "zgh_Tfng"
    if _ARABIC.search(text):
        return "arb_Arab"
    return "und"


def reply_language(spec: AgentSpec, user_label: str) -> str:
    """The question's language when the agent serves it (``spec.languages``), else the fallback."""
    if spec.reply.language != "user":
        return spec.reply.language
    served = not spec.languages or user_label in spec.languages
    return user_label if user_label and user_label != "und" and served else spec.reply.fallback


def language_affinity(passage: str | None, wanted: str) -> float:
    """How well a passage's language suits a reader of ``wanted`` (2 same label … 0 unrelated).

    Darija readers in Arabizi are served best by Darija in Arabic script (the same words), then
    by MSA; Tamazight in Latin by Tamazight in Tifinagh.
    """
    if not passage or passage == "und":
        return 0.0
    if passage == wanted:
        return 2.0
    p_lang, _, p_script = passage.partition("_")
    w_lang, _, w_script = wanted.partition("_")
    if p_lang == w_lang:
        return 1.5
    arabic_family = {"ary", "arb"}
    if p_lang in arabic_family and w_lang in arabic_family:
        return 1.0 if p_script == w_script or w_script == "Latn" else 0.5
    if p_script == w_script:
        return 0.5
    return 0.0
