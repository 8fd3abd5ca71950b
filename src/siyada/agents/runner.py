"""The agent loop: question → (tool calls)* → answer with [n] markers and structured citations.

Generative mode drives any :class:`~siyada.backends.base.Backend`: each turn either calls tools
(native tool calls, or one grammar-constrained JSON object — see :mod:`siyada.agents.jsonmode`)
or answers. Every failure inside the loop is reported to the model as the tool's result and the
loop goes on — malformed arguments, unknown tools, a tool that raises — within the spec's
limits: ``max_tool_calls`` (then one last turn without tools), ``max_tokens`` (summed over turns)
and ``timeout_s`` (the whole answer). When the model ends without usable text, the answer falls
back to an extractive one over the passages already retrieved, so a cut loop still answers.

Extractive mode needs no model: it calls ``search_knowledge`` itself and quotes the best passage.

Answers stream as they are written: markers are renumbered [1], [2]... in order of first mention
as the text arrives (:class:`~siyada.agents.citations.Renumberer`), so a streamed marker never has
to be taken back. In native mode the model's text is said live; JSON-mode answers are said when
their JSON object is complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from siyada.agents import jsonmode
from siyada.agents.citations import MARKER_RE, Citation, Renumberer, SourceBook
from siyada.agents.extractive import best_document, extract_answer, language_of
from siyada.agents.policy import answer_mode, detect_language, language_affinity, reply_language, tool_calling
from siyada.agents.prompts import message, template
from siyada.agents.relevance import Relevance, judge
from siyada.agents.spec import AgentSpec
from siyada.agents.tools.base import Tool, ToolError, tool_spec
from siyada.backends.base import Backend
from siyada.errors import ConfigError, SiyadaError
from siyada.settings import ModelConfig
from siyada.types import (
    ChatRequest,
    ChatResult,
    FinishReason,
    Message,
    ResponseFormat,
    SamplingParams,
    ToolCall,
    Usage,
)

MAX_FORMAT_RETRIES = 2
GOOD_AFFINITY = 1.5  # a passage in the reader's language, or Darija in Arabic script for Arabizi
TOOL_RESULT_CHARS = 6000
LATE_SEARCH_S = 10.0  # a search after the time limit, so a timed-out answer is still grounded


@dataclass(slots=True)
class ToolTrace:
    name: str
    arguments: str
    error: str | None = None


@dataclass(slots=True)
class AgentAnswer:
    text: str
    citations: list[Citation]
    mode: str
    language: str  # detected language of the question
    reply_language: str
    finish_reason: str = "stop"  # stop | length | tool_limit | time_limit
    answer_language: str = "und"  # detected language of the answer text
    tools: list[ToolTrace] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    relevance: Relevance | None = None  # extractive answers: the gate's signals

    @property
    def grounded(self) -> bool:
        """Whether the answer rests on the documents (it cites at least one)."""
        return bool(self.citations)

    def meta(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "language": self.language,
            "reply_language": self.reply_language,
            "answer_language": self.answer_language,
            "finish_reason": self.finish_reason,
            "grounded": self.grounded,
            "relevance": self.relevance.to_dict() if self.relevance is not None else None,
            "tool_calls": [{"name": t.name, "arguments": t.arguments, "error": t.error} for t in self.tools],
        }


def _call_key(call: ToolCall | ToolTrace) -> tuple[str, str]:
    """Identity of a tool call, arguments compared as parsed JSON (key order and spacing ignored)."""
    try:
        args = json.dumps(json.loads(call.arguments or "{}"), sort_keys=True, ensure_ascii=False)
    except json.JSONDecodeError:
        args = call.arguments
    return call.name, args


@cache
def _language_names() -> dict[str, str]:
    data: dict[str, str] = yaml.safe_load(template("languages.yaml"))
    return data


@dataclass(slots=True)
class _Run:
    """Mutable state of one answer."""

    question: str
    user_lang: str
    reply_lang: str
    book: SourceBook = field(default_factory=SourceBook)
    trace: list[ToolTrace] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    snippets: dict[int, str] = field(default_factory=dict)
    writer: Renumberer | None = None
    on_text: Callable[[str], None] | None = None
    relevance: Relevance | None = None

    def say(self, text: str) -> None:
        """Add text to the answer (markers renumbered) and hand it to the listener at once."""
        assert self.writer is not None
        out = self.writer.feed(text)
        if out and self.on_text is not None:
            self.on_text(out)

    def say_block(self, text: str) -> None:
        """Add a whole block (fallback, fixed sentence), separated from what was already said."""
        assert self.writer is not None
        said = self.writer.text
        self.say(text if not said or said[-1].isspace() else " " + text)

    def end(self) -> str:
        assert self.writer is not None
        out = self.writer.end()
        if out and self.on_text is not None:
            self.on_text(out)
        return self.writer.text


class AgentRunner:
    def __init__(
        self,
        spec: AgentSpec,
        tools: dict[str, Tool],
        backend: Backend | None = None,
        model: ModelConfig | None = None,
        mode: str | None = None,
    ) -> None:
        self.spec = spec
        self.tools = tools
        self.backend = backend
        self.model = model
        self.mode = answer_mode(spec, model, mode)
        if self.mode == "generative" and (backend is None or model is None):
            raise ConfigError(f"agent '{spec.name}': generative mode needs a chat model")

    async def answer(self, messages: list[Message], on_text: Callable[[str], None] | None = None) -> AgentAnswer:
        """Answer the last user message; ``on_text`` receives the answer's text as it is written."""
        question = next((m.content or "" for m in reversed(messages) if m.role == "user"), "").strip()
        user_lang = detect_language(question) if question else "und"
        run = _Run(
            question=question, user_lang=user_lang, reply_lang=reply_language(self.spec, user_lang), on_text=on_text
        )
        run.writer = Renumberer(run.book)
        finish = "stop"
        try:
            async with asyncio.timeout(self.spec.limits.timeout_s):
                if self.mode == "extractive":
                    run.say_block(await self._extractive(run))
                else:
                    rest, finish = await self._generative(messages, run)
                    if rest:
                        run.say_block(rest)
        except TimeoutError:
            finish = "time_limit"
            run.say_block(await self._after_timeout(run))
        text = run.end()
        citations = run.book.citations(run.writer.order, run.snippets)
        return AgentAnswer(
            text=text,
            citations=citations,
            mode=self.mode,
            language=user_lang,
            reply_language=run.reply_lang,
            finish_reason=finish,
            tools=run.trace,
            usage=run.usage,
            relevance=run.relevance,
            answer_language=detect_language(MARKER_RE.sub("", text)),
        )

    async def stream(self, messages: list[Message]) -> AsyncGenerator[str | AgentAnswer, None]:
        """Text pieces of the answer as they are written, then the :class:`AgentAnswer` itself.

        Closing the iterator cancels the answer (and so the model's generation).
        """
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        task = asyncio.create_task(self.answer(messages, on_text=queue.put_nowait))
        task.add_done_callback(lambda _: queue.put_nowait(None))
        try:
            while (piece := await queue.get()) is not None:
                yield piece
            yield task.result()
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    # -- extractive -------------------------------------------------------------------------
    async def _extractive(self, run: _Run) -> str:
        search = self.tools.get("search_knowledge")
        if search is None:
            return message("no_knowledge", run.reply_lang)
        if not run.question:
            return message("no_answer", run.reply_lang)
        await self._call(search, "search_knowledge", {"query": run.question}, run)
        if run.book.sources and not await self._relevant(search, run):
            return message("no_answer", run.reply_lang)
        await self._more_of_best_document(search, run)
        return self._fallback(run)

    async def _relevant(self, search: Tool, run: _Run) -> bool:
        """The relevance gate (:mod:`siyada.agents.relevance`); a refusal cites nothing."""
        relevance = getattr(search, "relevance", None)
        if relevance is None or self.spec.answer.min_relevance == 0:
            return True
        try:
            found = await asyncio.to_thread(relevance, run.question)
        except SiyadaError:
            return True  # the answer's own search worked: quote it rather than fail
        if found is None:
            return True
        run.relevance = judge(found, self.spec.answer, bool(run.book.sources))
        if run.relevance is None:
            return True
        if not run.relevance.grounded:
            assert run.writer is not None
            run.writer.cite_unmarked = False
        return run.relevance.grounded

    async def _more_of_best_document(self, search: Tool, run: _Run) -> None:
        """When the best document's retrieved passages are not in the reply language, search that
        document alone: its passage in the reader's language may have ranked below the cut."""
        more = getattr(search, "search_document", None)
        if more is None or not run.book.sources:
            return
        passages = best_document(list(run.book.sources))
        if max(language_affinity(language_of(p), run.reply_lang) for p in passages) >= GOOD_AFFINITY:
            return
        with contextlib.suppress(SiyadaError):
            for src in await asyncio.to_thread(more, run.question, passages[0]):
                run.book.add(src)

    async def _after_timeout(self, run: _Run) -> str:
        """Out of time: answer extractively from what was retrieved, searching once if nothing was."""
        search = self.tools.get("search_knowledge")
        if not run.book.sources and search is not None and run.question:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(LATE_SEARCH_S):
                    await self._call(search, "search_knowledge", {"query": run.question}, run)
        if not run.book.sources:
            return message("time_limit_empty", run.reply_lang)
        return message("time_limit", run.reply_lang) + " " + self._fallback(run)

    def _fallback(self, run: _Run) -> str:
        """An extractive answer over the passages retrieved so far (or 'not found')."""
        extract = extract_answer(run.question, run.reply_lang, list(run.book.sources), run.book)
        if extract is None:
            return message("no_answer", run.reply_lang)
        run.snippets.update(extract.snippets)
        return extract.text

    # -- generative -------------------------------------------------------------------------
    def _system(self, run: _Run, mode: str) -> Message:
        names = _language_names()
        text = template("system.txt").format(
            instructions=self.spec.instructions.strip(),
            reply_language=run.reply_lang,
            reply_language_name=names.get(run.reply_lang, run.reply_lang),
        )
        if mode == "json" and self.tools:
            text += "\n\n" + template("json_tools.txt").format(
                tool_list=jsonmode.tool_list([tool_spec(t) for t in self.tools.values()])
            )
        return Message(role="system", content=text)

    def _request(self, conv: list[Message], mode: str, with_tools: bool, max_tokens: int) -> ChatRequest:
        specs = [tool_spec(t) for t in self.tools.values()] if with_tools else []
        assert self.model is not None
        req = ChatRequest(
            model=self.model.name, messages=list(conv), sampling=SamplingParams(max_tokens=max_tokens, temperature=0.2)
        )
        if mode == "native":
            req.tools = specs
            req.tool_choice = "auto" if specs else "none"
        else:
            req.response_format = ResponseFormat("json_schema", jsonmode.turn_schema(specs))
        return req

    async def _generative(self, messages: list[Message], run: _Run) -> tuple[str, str]:
        assert self.backend is not None and self.model is not None
        mode = tool_calling(self.spec, self.model)
        conv = [self._system(run, mode), *[m for m in messages if m.role != "system"]]
        calls_left = self.spec.limits.max_tool_calls
        tokens_left = self.spec.limits.max_tokens
        retries = 0
        if self.spec.retrieve_first and "search_knowledge" in self.tools and calls_left > 0 and run.question:
            # The runner makes the first search itself, as a tool call in the transcript: small
            # models often answer without searching, and then nothing could be cited.
            args = json.dumps({"query": run.question}, ensure_ascii=False)
            first = ToolCall(id="call_retrieve_first", name="search_knowledge", arguments=args)
            raw = (
                ""
                if mode == "native"
                else json.dumps({"tool": "search_knowledge", "arguments": {"query": run.question}}, ensure_ascii=False)
            )
            await self._run_calls(conv, [first], raw, mode, run)
            calls_left -= 1
        while True:
            with_tools = calls_left > 0 and bool(self.tools)
            result = await self._turn(self._request(conv, mode, with_tools, tokens_left), run, mode == "native")
            run.usage.prompt_tokens += result.usage.prompt_tokens
            run.usage.completion_tokens += result.usage.completion_tokens
            tokens_left -= result.usage.completion_tokens
            text, calls, error = self._read_turn(result.text, result.tool_calls, mode)
            if error is not None and retries < MAX_FORMAT_RETRIES and tokens_left > 0:
                retries += 1
                conv.append(Message(role="assistant", content=result.text))
                conv.append(Message(role="user", content=f"Error: {error}. Reply with one JSON object."))
                continue
            if calls and not with_tools:
                # The model keeps calling tools past its limit: stop and answer from what we have.
                return self._fallback(run), "tool_limit"
            if not calls:
                finish = "length" if result.finish_reason == "length" or tokens_left <= 0 else "stop"
                if mode == "native" and text.strip():
                    return "", finish  # already said, as it was generated
                return (text.strip() or self._fallback(run)), finish
            fresh = [c for c in calls if _call_key(c) not in {_call_key(t) for t in run.trace}]
            if not fresh:
                # The model repeats a call it already made (small models loop): its results are
                # in the transcript, so the next turn is offered no tools and must answer.
                calls_left = 0
                continue
            await self._run_calls(conv, fresh[:calls_left], result.text, mode, run)
            calls_left -= min(len(fresh), calls_left)
            if tokens_left <= 0:
                return self._fallback(run), "length"

    async def _turn(self, request: ChatRequest, run: _Run, live: bool) -> ChatResult:
        """One generation; with ``live`` its text is said as it arrives (native mode: the text of a
        turn that ends up calling tools stays in the answer, as the reader has seen it)."""
        assert self.backend is not None
        stream = self.backend.chat(request)
        parts: list[str] = []
        calls: list[ToolCall] = []
        finish: FinishReason = "stop"
        usage = Usage()
        try:
            async for chunk in stream:
                if chunk.text:
                    parts.append(chunk.text)
                    if live:
                        run.say(chunk.text)
                calls.extend(chunk.tool_calls or [])
                finish = chunk.finish_reason or finish
                usage = chunk.usage or usage
        finally:
            close = getattr(stream, "aclose", None)
            if close is not None:
                await close()  # a timeout or a gone client must stop the generation at once
        return ChatResult(text="".join(parts), tool_calls=calls or None, finish_reason=finish, usage=usage)

    def _read_turn(self, text: str, native: list[ToolCall] | None, mode: str) -> tuple[str, list[ToolCall], str | None]:
        if mode == "native":
            return text, list(native or []), None
        turn = jsonmode.parse_turn(text, set(self.tools))
        if turn.kind == "answer":
            return turn.text, [], None
        if turn.kind == "tool":
            call = ToolCall(
                id=f"json{len(text)}", name=turn.tool, arguments=json.dumps(turn.arguments, ensure_ascii=False)
            )
            return "", [call], None
        return "", [], turn.text

    async def _run_calls(self, conv: list[Message], calls: list[ToolCall], raw: str, mode: str, run: _Run) -> None:
        if mode == "native":
            conv.append(Message(role="assistant", content=raw or None, tool_calls=calls))
        else:
            conv.append(Message(role="assistant", content=raw))
        for call in calls:
            content = await self._dispatch(call, run)
            if mode == "native":
                conv.append(Message(role="tool", content=content, tool_call_id=call.id, name=call.name))
            else:
                conv.append(Message(role="user", content=f"Result of {call.name}:\n{content}"))

    async def _dispatch(self, call: ToolCall, run: _Run) -> str:
        tool = self.tools.get(call.name)
        if tool is None:
            run.trace.append(ToolTrace(call.name, call.arguments, "unknown tool"))
            return f"Error: unknown tool '{call.name}'. Tools: {', '.join(self.tools) or 'none'}."
        try:
            args = json.loads(call.arguments or "{}")
        except json.JSONDecodeError as exc:
            run.trace.append(ToolTrace(call.name, call.arguments, "invalid JSON arguments"))
            return f"Error: the arguments are not valid JSON ({exc.msg})."
        if not isinstance(args, dict):
            run.trace.append(ToolTrace(call.name, call.arguments, "arguments not an object"))
            return "Error: the arguments must be a JSON object."
        return await self._call(tool, call.name, args, run)

    async def _call(self, tool: Tool, name: str, args: dict[str, Any], run: _Run) -> str:
        trace = ToolTrace(name, json.dumps(args, ensure_ascii=False))
        run.trace.append(trace)
        try:
            result = await asyncio.to_thread(tool.run, args)
        except (ToolError, SiyadaError) as exc:
            trace.error = exc.message
            return f"Error: {exc.message}"
        except Exception as exc:  # a broken tool must not break the answer; the model is told
            trace.error = f"{type(exc).__name__}: {exc}"
            return f"Error: the tool failed ({type(exc).__name__})."
        if not result.sources:
            return result.content[:TOOL_RESULT_CHARS]
        lines = []
        for src in result.sources:
            n = run.book.add(src)
            lines.append(f"[{n}] {src.title}: {' '.join(src.text.split())}")
        return "\n".join(lines)[:TOOL_RESULT_CHARS]
