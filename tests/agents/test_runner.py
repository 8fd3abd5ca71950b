"""The agent loop over the scripted FakeBackend: tool calls, failures, limits, JSON mode, citations."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest

from siyada.agents.runner import AgentRunner
from siyada.agents.spec import parse_spec
from siyada.agents.tools.base import ToolContext, ToolResult, build_tool
from siyada.backends.fake import FakeBackend
from siyada.settings import ModelConfig, load_settings
from siyada.types import Message

SPEC = """\
name: bank
description: d
model: fake
instructions: "You answer bank questions."
knowledge: [{{name: faq}}]
tools: [calculator]
limits: {{max_tool_calls: {calls}, max_tokens: 200, timeout_s: {timeout}}}
answer_mode: {mode}
tool_calling: {calling}
retrieve_first: {first}
"""


def make(
    kb: Any,
    script: list[Any],
    *,
    calls: int = 3,
    mode: str = "generative",
    calling: str = "auto",
    timeout: float = 30,
    backend: str = "fake",
    extra_tools: dict[str, Any] | None = None,
    delay: float = 0.0,
    first: bool = False,
) -> tuple[AgentRunner, FakeBackend]:
    # retrieve_first is off by default here so each test scripts every tool call itself.
    spec = parse_spec(SPEC.format(calls=calls, mode=mode, calling=calling, timeout=timeout, first=first))
    cfg = ModelConfig(
        name="fake",
        backend=backend,
        params={"script": script, "concurrency": 0, "delay_s": delay},
        labels={"parameters": "8B"},
    )
    fake = FakeBackend(cfg, load_settings())
    ctx = ToolContext(knowledge=lambda name: kb, knowledge_refs=spec.knowledge)
    tools = {name: build_tool(name, {}, ctx) for name in ("search_knowledge", "calculator")}
    tools.update(extra_tools or {})
    return AgentRunner(spec, tools, fake, cfg), fake


def ask(q: str) -> list[Message]:
    return [Message(role="user", content=q)]


def search(query: str) -> dict[str, Any]:
    return {"tool_calls": [{"name": "search_knowledge", "arguments": {"query": query}}]}


async def test_native_tool_call_then_cited_answer(card_kb: Any) -> None:
    runner, fake = make(card_kb, [search("bloquer carte"), "Appelez le 0522 48 48 48 [2], jour et nuit [1]."])
    answer = await runner.answer(ask("Comment bloquer ma carte ?"))
    # Markers are renumbered in order of first mention; citations carry document, chunk, snippet.
    assert answer.text == "Appelez le 0522 48 48 48 [1], jour et nuit [2]."
    assert [(c.index, c.chunk_id, c.document_id) for c in answer.citations] == [
        (1, "2", "doc-card"),
        (2, "1", "doc-card"),
    ]
    assert "0522" in answer.citations[0].snippet and answer.citations[0].knowledge_base == "faq"
    assert answer.mode == "generative" and answer.finish_reason == "stop" and answer.language == "fra_Latn"
    assert card_kb.queries[0] == "bloquer carte"
    first, second = fake.calls
    assert [t.name for t in first.tools] == ["search_knowledge", "calculator"]  # type: ignore[union-attr]
    tool_msg = second.messages[-1]  # type: ignore[union-attr]
    assert tool_msg.role == "tool" and tool_msg.content.startswith("[1] Carte:")
    assert "Reply in French" in second.messages[0].content  # type: ignore[union-attr]


@pytest.mark.parametrize("calling", ["native", "json"])
async def test_retrieve_first_searches_before_the_first_turn(card_kb: Any, calling: str) -> None:
    reply = "Pas de marqueur." if calling == "native" else json.dumps({"answer": "Pas de marqueur."})
    runner, fake = make(card_kb, [reply], first=True, calling=calling, calls=1)
    answer = await runner.answer(ask("Comment bloquer ma carte ?"))
    assert card_kb.queries == ["Comment bloquer ma carte ?"] and len(fake.calls) == 1
    transcript = fake.calls[0].messages  # type: ignore[union-attr]
    assert transcript[-1].content.startswith("[1] Carte:" if calling == "native" else "Result of search_knowledge:")
    # The one allowed tool call was the runner's: the model is offered no tools.
    assert (
        fake.calls[0].tools == []
        if calling == "native"
        else "anyOf"
        not in (  # type: ignore[union-attr]
            fake.calls[0].response_format.schema
        )
    )  # type: ignore[union-attr]
    # An answer that cites nothing still carries its best source.
    assert answer.text == "Pas de marqueur. [1]" and answer.citations[0].chunk_id == "1"


async def test_answer_without_markers_gets_its_best_source(card_kb: Any) -> None:
    runner, _ = make(card_kb, [search("carte"), "Appelez le centre d'opposition."])
    answer = await runner.answer(ask("carte perdue ?"))
    assert answer.text.endswith("[1]") and len(answer.citations) == 1


async def test_unknown_markers_are_dropped(card_kb: Any) -> None:
    runner, _ = make(card_kb, ["Sans outil [7]."])
    answer = await runner.answer(ask("bonjour"))
    assert answer.text == "Sans outil ." and answer.citations == []


async def test_malformed_arguments_and_unknown_tool_are_reported_to_the_model(card_kb: Any) -> None:
    script = [
        {"tool_calls": [{"name": "search_knowledge", "arguments": "{not json"}]},
        {"tool_calls": [{"name": "teleport", "arguments": {}}]},
        {"tool_calls": [{"name": "calculator", "arguments": "[1, 2]"}]},
        "Je ne sais pas.",
    ]
    runner, fake = make(card_kb, script, calls=5)
    answer = await runner.answer(ask("?"))
    assert answer.text == "Je ne sais pas." and answer.finish_reason == "stop"
    errors = [t.error for t in answer.tools]
    assert errors == ["invalid JSON arguments", "unknown tool", "arguments not an object"]
    tool_replies = [m.content for m in fake.calls[-1].messages if m.role == "tool"]  # type: ignore[union-attr]
    assert "not valid JSON" in tool_replies[0] and "unknown tool 'teleport'" in tool_replies[1]


class Exploding:
    name = "explode"
    description = "always fails"
    parameters: ClassVar[dict[str, Any]] = {"type": "object", "properties": {}}

    def run(self, arguments: dict[str, Any]) -> ToolResult:
        raise RuntimeError("disk on fire")


async def test_failing_tool_does_not_break_the_answer(card_kb: Any) -> None:
    script = [
        {"tool_calls": [{"name": "explode", "arguments": {}}]},
        {"tool_calls": [{"name": "calculator", "arguments": {"expression": "1/0"}}]},
        "Désolé.",
    ]
    runner, fake = make(card_kb, script, extra_tools={"explode": Exploding()})
    answer = await runner.answer(ask("?"))
    assert answer.text == "Désolé."
    assert [t.error for t in answer.tools] == ["RuntimeError: disk on fire", "division by zero"]
    replies = [m.content for m in fake.calls[-1].messages if m.role == "tool"]  # type: ignore[union-attr]
    assert replies == ["Error: the tool failed (RuntimeError).", "Error: division by zero"]


async def test_loop_is_cut_at_its_limit_and_still_answers(card_kb: Any) -> None:
    # The model never stops calling tools: after 2 calls it gets a turn without tools, ignores
    # that too, and the runner answers extractively from what was retrieved.
    runner, fake = make(card_kb, [search("carte"), search("carte bancaire"), search("opposition")], calls=2)
    answer = await runner.answer(ask("Comment bloquer ma carte ?"))
    assert answer.finish_reason == "tool_limit"
    assert len(answer.tools) == 2 and len(fake.calls) == 3
    assert fake.calls[-1].tools == [] and fake.calls[-1].tool_choice == "none"  # type: ignore[union-attr]
    assert "0522 48 48 48" in answer.text and answer.text.endswith("[1]")
    assert answer.citations[0].document_id == "doc-card"


async def test_a_repeated_call_ends_the_tool_turns(card_kb: Any) -> None:
    runner, fake = make(card_kb, [search("carte"), search("carte"), "Appelez le 0522 48 48 48 [1]."], calls=4)
    answer = await runner.answer(ask("carte ?"))
    assert answer.text == "Appelez le 0522 48 48 48 [1]." and len(answer.tools) == 1
    assert fake.calls[2].tools == []  # type: ignore[union-attr]


async def test_time_limit_still_answers_from_the_documents(card_kb: Any) -> None:
    runner, _ = make(card_kb, ["un deux trois quatre cinq six sept huit neuf dix"], timeout=0.05, delay=0.05)
    answer = await runner.answer(ask("Comment bloquer ma carte ?"))
    assert answer.finish_reason == "time_limit" and answer.text.startswith("Le délai de réponse est dépassé")
    # The model never searched: the runner searched once after the limit and quoted the passage.
    assert "0522 48 48 48" in answer.text and answer.citations[0].document_id == "doc-card"
    card_kb.hits = []
    empty = await runner.answer(ask("Comment bloquer ma carte ?"))
    assert empty.citations == [] and "réessayer" in empty.text


async def test_token_budget_is_shared_across_turns(card_kb: Any) -> None:
    long = " ".join(["mot"] * 150)
    runner, fake = make(card_kb, [{"text": long, **search("carte")}, long])
    answer = await runner.answer(ask("carte ?"))
    assert fake.calls[1].sampling.max_tokens == 50  # type: ignore[union-attr]
    assert answer.finish_reason == "length"


async def test_json_mode_uses_a_grammar_and_parses_turns(card_kb: Any) -> None:
    script = [
        "this is not json",
        json.dumps({"tool": "search_knowledge", "arguments": {"query": "carte"}}),
        json.dumps({"answer": "Appelez le 0522 48 48 48 [1]."}),
    ]
    runner, fake = make(card_kb, script, calling="json")
    answer = await runner.answer(ask("Comment bloquer ma carte ?"))
    assert answer.text == "Appelez le 0522 48 48 48 [1]." and answer.citations[0].chunk_id == "1"
    first = fake.calls[0]
    assert first.response_format is not None and first.response_format.type == "json_schema"  # type: ignore[union-attr]
    options = first.response_format.schema["anyOf"]  # type: ignore[union-attr]
    assert {o["properties"].get("tool", {}).get("const") for o in options} >= {"search_knowledge", "calculator"}
    assert "Reply with one JSON object" in fake.calls[0].messages[0].content  # type: ignore[union-attr]
    retry = fake.calls[1].messages[-1]  # type: ignore[union-attr]
    assert retry.role == "user" and "not a JSON object" in retry.content
    assert fake.calls[2].messages[-1].content.startswith("Result of search_knowledge:")  # type: ignore[union-attr]


async def test_extractive_mode_needs_no_model(card_kb: Any) -> None:
    runner, fake = make(card_kb, [], mode="extractive")
    darija = await runner.answer(ask("كيفاش نبلوكي لاكارط ديالي؟"))
    assert fake.calls == [] and darija.mode == "extractive"
    # The Darija passage of the best document is preferred over the French one ranked above it.
    assert darija.text.startswith("باش تبلوكي لاكارط") and darija.citations[0].chunk_id == "2"
    french = await runner.answer(ask("Comment bloquer ma carte bancaire ?"))
    assert french.text.startswith("Pour bloquer votre carte") and french.citations[0].lang == "fra_Latn"


async def test_extractive_without_hits_says_so(card_kb: Any) -> None:
    card_kb.hits = []
    runner, _ = make(card_kb, [], mode="extractive")
    answer = await runner.answer(ask("Quel temps fera-t-il demain ?"))
    assert answer.citations == [] and "pas trouvé" in answer.text


def test_auto_mode_by_model_size() -> None:
    from siyada.agents.policy import answer_mode, parameter_count, too_small

    spec = parse_spec("name: a\ndescription: d\ninstructions: i\n")
    tiny = ModelConfig(name="gemma-3-270m", backend="llamacpp", tags=["embedded", "base-model"])
    small = ModelConfig(name="m", backend="openai", labels={"parameters": "500M"})
    big = ModelConfig(name="m", backend="openai", labels={"parameters": "7B"})
    assert parameter_count("270M") == 2.7e8 and parameter_count("1.5B") == 1.5e9 and parameter_count("x") is None
    assert too_small(tiny) and too_small(small) and not too_small(big) and too_small(None)
    assert answer_mode(spec, tiny) == "extractive" and answer_mode(spec, big) == "generative"
    assert answer_mode(spec, tiny, "generative") == "generative"


@pytest.mark.parametrize(("calls", "expected"), [(0, "Pas d'outil.")])
async def test_zero_tool_calls_means_no_tools_offered(card_kb: Any, calls: int, expected: str) -> None:
    runner, fake = make(card_kb, [expected], calls=calls)
    answer = await runner.answer(ask("?"))
    assert answer.text == expected and fake.calls[0].tools == []  # type: ignore[union-attr]


async def test_stream_says_the_answer_as_it_is_generated(card_kb: Any) -> None:
    runner, _ = make(card_kb, [search("carte"), "Appelez le 0522 48 48 48 [2] , jour et nuit [1] ."])
    pieces: list[Any] = [p async for p in runner.stream(ask("Comment bloquer ma carte ?"))]
    final = pieces[-1]
    texts = pieces[:-1]
    # One piece per generated token, markers already renumbered; together they are the answer.
    assert len(texts) == 13 and all(isinstance(t, str) for t in texts)
    assert "".join(texts) == final.text == "Appelez le 0522 48 48 48 [1] , jour et nuit [2] ."
    assert [c.chunk_id for c in final.citations] == ["2", "1"]


async def test_closing_the_stream_stops_the_generation(card_kb: Any) -> None:
    runner, fake = make(card_kb, ["un deux trois quatre cinq six sept huit neuf dix"], delay=0.01)
    stream = runner.stream(ask("?"))
    assert await anext(stream) == "un"
    await stream.aclose()
    assert fake.cancelled == 1 and fake.active == 0


def test_renumbering_markers_split_across_pieces() -> None:
    from siyada.agents.citations import Renumberer, Source, SourceBook

    book = SourceBook()
    for i in range(3):
        book.add(Source(text=f"passage {i}", document_id=f"d{i}", chunk_id=str(i)))
    writer = Renumberer(book)
    pieces = ["Voir [", "3", "] puis [1", "2] et [2", "] ou [3]."]
    out = "".join(writer.feed(p) for p in pieces) + writer.end()
    assert out == "Voir [1] puis  et [2] ou [1]."  # [12] cites nothing: dropped
    assert out == book.finalize("".join(pieces))[0]
    assert writer.order == [3, 2]
    assert Renumberer(book).feed("Rien.") == "Rien."
    plain = Renumberer(book)
    assert plain.feed("Rien.") + plain.end() == "Rien. [1]" and plain.order == [1]


async def test_a_language_the_agent_does_not_serve_gets_the_fallback(card_kb: Any) -> None:
    from siyada.agents.policy import reply_language

    runner, _ = make(card_kb, [], mode="extractive")
    runner.spec.languages = ["fra_Latn"]
    answer = await runner.answer(ask("كيفاش نبلوكي لاكارط ديالي؟"))
    assert answer.language == "ary_Arab" and answer.reply_language == "fra_Latn"
    assert answer.text.startswith("Pour bloquer votre carte")
    spec = runner.spec
    assert reply_language(spec, "fra_Latn") == "fra_Latn" and reply_language(spec, "und") == "fra_Latn"
    spec.languages = []
    assert reply_language(spec, "zgh_Tfng") == "zgh_Tfng"


async def test_extractive_looks_again_inside_the_best_document_for_the_readers_language() -> None:
    from .conftest import CARD_HITS, FakeKB

    french, darija, fees = CARD_HITS
    kb = FakeKB([french, fees], hidden=[darija])  # the Darija passage ranked below the cut
    runner, _ = make(kb, [], mode="extractive")
    answer = await runner.answer(ask("كيفاش نبلوكي لاكارط ديالي؟"))
    assert answer.text.startswith("باش تبلوكي لاكارط") and answer.citations[0].chunk_id == "2"
    assert len(kb.queries) == 2
    # A French reader is served by the first search alone.
    await runner.answer(ask("Comment bloquer ma carte bancaire ?"))
    assert len(kb.queries) == 3
