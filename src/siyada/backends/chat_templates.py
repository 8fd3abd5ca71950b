"""Render chat messages to a prompt string for an embedded model (pure).

Choice of template, in order: the ``chat_format`` set in config; the GGUF's own Jinja template
(``tokenizer.chat_template``); the template of the model's family from its architecture
(``general.architecture``: gemma* → gemma, qwen*/phi* → chatml, llama → llama-3). This matters
for base models such as the embedded Gemma 3 270M, whose GGUF has no template: llama-cpp-python
would fall back to ``llama-2`` and the model would answer nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from siyada.errors import ConfigError
from siyada.types import Message

_FAMILIES = (("gemma", "gemma"), ("qwen", "chatml"), ("phi", "chatml"), ("llama", "llama-3"))


@dataclass(slots=True)
class RenderedPrompt:
    text: str
    stop: list[str] = field(default_factory=list)
    template: str = ""
    # (text, is_markup) pieces: markup is tokenised with special tokens, message content without,
    # so a user who types "<end_of_turn>" cannot forge a turn. Empty for GGUF Jinja templates,
    # whose output cannot be split back (tokenised whole, as llama-cpp-python does).
    parts: list[tuple[str, bool]] = field(default_factory=list)


@cache
def builtin_templates() -> dict[str, dict[str, Any]]:
    raw = files("siyada.backends").joinpath("data/chat_templates.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, Any]] = yaml.safe_load(raw)
    return data


def family_template(architecture: str | None) -> str:
    arch = (architecture or "").lower()
    for prefix, name in _FAMILIES:
        if arch.startswith(prefix):
            return name
    return "chatml"


def choose_template(configured: str | None, metadata: dict[str, str]) -> str:
    """Name of the template to use: a builtin name, or ``"gguf"`` for the model's own."""
    if configured:
        if configured != "gguf" and configured not in builtin_templates():
            raise ConfigError(f"unknown chat_format '{configured}' (known: gguf, {', '.join(builtin_templates())})")
        return configured
    if metadata.get("tokenizer.chat_template"):
        return "gguf"
    return family_template(metadata.get("general.architecture"))


def render_builtin(name: str, messages: list[Message]) -> RenderedPrompt:
    t = builtin_templates()[name]
    turns: list[tuple[str, str]] = []
    pending_system: list[str] = []
    for m in messages:
        content = m.content or ""
        if m.role == "system":
            if t.get("system") == "merge":
                pending_system.append(content)
                continue
            turns.append(("system", content))
            continue
        if m.role == "user" and pending_system:
            content = "\n\n".join([*pending_system, content])
            pending_system = []
        turns.append(("assistant" if m.role == "assistant" else "user", content))
    if pending_system:  # only system text was sent
        turns.append(("user", "\n\n".join(pending_system)))
    ends = t.get("end_by_role", {})
    parts: list[tuple[str, bool]] = []
    for role, content in turns:
        parts += [(t["roles"][role], True), (content, False), (ends.get(role, t["end"]), True)]
    parts.append((t["generation_prompt"], True))
    parts = [(text, markup) for text, markup in parts if text]
    return RenderedPrompt(text="".join(p for p, _ in parts), stop=list(t["stop"]), template=name, parts=parts)


def render_jinja(template: str, messages: list[Message], bos: str, eos: str) -> RenderedPrompt:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)

    def raise_exception(message: str) -> None:
        raise ConfigError(f"the model's chat template refused the messages: {message}")

    msgs = [{"role": m.role, "content": m.content or ""} for m in messages]
    text = env.from_string(template).render(
        messages=msgs, bos_token=bos, eos_token=eos, add_generation_prompt=True, raise_exception=raise_exception
    )
    # The BOS token is added by the tokenizer; keep it out of the text to avoid a double BOS.
    if bos and text.startswith(bos):
        text = text[len(bos) :]
    return RenderedPrompt(text=text, stop=[eos] if eos else [], template="gguf")
