"""Embedded llama.cpp backend (llama-cpp-python): any GGUF by path, the bundled Gemma by default.

Key decisions:
- The model is loaded on first use, in the worker thread, so the server starts at once and a
  missing or corrupt file becomes a clear 503 for that model, not a crash.
- One generation at a time per model (llama.cpp contexts are not re-entrant) behind a
  :class:`ModelGate`; the slot is released by the worker thread's completion, never earlier, so a
  cancelled request cannot overlap the next one on the same context.
- Our own token loop over ``Llama.generate`` (not ``create_completion``): exact token counts,
  stop strings *and* stop tokens (a base Gemma does not mark ``<end_of_turn>`` as end of
  generation), cancellation checked between tokens, grammars for JSON and tool calls.
- A prompt that does not fit the context is refused with a 400; nothing is silently truncated.

Params: ``path`` (a .gguf file) or ``package`` (a PyPI package with ``assemble()``, as the
default model), ``n_ctx``, ``n_threads``, ``n_batch``, ``chat_format``, ``temperature``,
``top_p`` (defaults for requests that do not set them), ``repeat_penalty`` (llama.cpp's, default 1.0).
Requests' ``presence_penalty`` and ``frequency_penalty`` are passed to llama.cpp's sampler.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from siyada.backends import chat_templates, tool_calls
from siyada.backends.gate import ModelGate
from siyada.backends.textstream import StopStream
from siyada.errors import (
    ConfigError,
    ContextLengthError,
    InvalidRequestError,
    MissingDependencyError,
    ModelUnavailableError,
)
from siyada.settings import ModelConfig, Settings
from siyada.types import (
    ChatRequest,
    Chunk,
    CompletionRequest,
    FinishReason,
    ResponseFormat,
    SamplingParams,
    ToolSpec,
    Usage,
)


def resolve_model_path(cfg: ModelConfig) -> Path:
    """The GGUF file of a model; a clear error if it is not on this machine (never downloads)."""
    p = cfg.params
    if p.get("path"):
        path = Path(str(p["path"])).expanduser()
        if not path.is_file():
            raise ModelUnavailableError(
                f"model '{cfg.name}': no GGUF file at {path}; point 'path' at a local .gguf file "
                "(Siyada never downloads models)"
            )
        return path
    package = p.get("package")
    if not package:
        raise ConfigError(f"model '{cfg.name}': the llamacpp backend needs 'path' (a .gguf file) or 'package'")
    module_name = str(package).replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ModelUnavailableError(
            f"model '{cfg.name}': the package '{package}' is not installed: pip install {package}"
        ) from None
    try:
        return Path(module.assemble())
    except Exception as exc:  # a broken wheel must not take the server down
        raise ModelUnavailableError(
            f"model '{cfg.name}': could not assemble the GGUF from '{package}': {exc}"
        ) from None


class _Job:
    """One generation, prepared on the worker thread."""

    def __init__(
        self,
        tokens: list[int],
        sampling: SamplingParams,
        stops: list[str],
        grammar: Any,
        tools: list[ToolSpec],
        tool_mode: str = "",
    ) -> None:
        self.tokens = tokens
        self.tools = tools
        self.sampling = sampling
        self.stops = stops
        self.grammar = grammar
        self.tool_mode = tool_mode  # "" (none), "auto" (maybe a call) or "forced" (grammar-bound call)


class LlamaCppBackend:
    def __init__(self, cfg: ModelConfig, settings: Settings) -> None:
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            raise MissingDependencyError("llama-cpp-python", "llamacpp") from None
        self.cfg = cfg
        self.name = cfg.name
        d, p = settings.llamacpp, cfg.params
        self.n_ctx = int(p.get("n_ctx", d.n_ctx))
        self.n_batch = int(p.get("n_batch", d.n_batch))
        self.n_threads = p.get("n_threads", d.n_threads)
        self.chat_format = p.get("chat_format", d.chat_format)
        self.default_temperature = float(p.get("temperature", 0.7))
        self.default_top_p = float(p.get("top_p", 0.95))
        self.repeat_penalty = float(p.get("repeat_penalty", 1.0))
        self.gate = ModelGate(cfg.name, queue_size=settings.queue_size)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"llama-{cfg.name}")
        self._llm: Any = None
        self._template = ""
        self._stop_ids: dict[str, int] = {}
        self._load_lock = threading.Lock()
        self._running: set[threading.Event] = set()

    # -- loading ---------------------------------------------------------------------------
    def _ensure_loaded(self) -> Any:
        with self._load_lock:
            if self._llm is None:
                from llama_cpp import Llama

                path = resolve_model_path(self.cfg)
                try:
                    llm = Llama(
                        model_path=str(path),
                        n_ctx=self.n_ctx,
                        n_batch=self.n_batch,
                        n_threads=self.n_threads,
                        verbose=False,
                    )
                except (ValueError, RuntimeError, OSError) as exc:
                    raise ModelUnavailableError(f"model '{self.name}': {path} is not a loadable GGUF ({exc})") from None
                self._template = chat_templates.choose_template(self.chat_format, dict(llm.metadata))
                self._llm = llm
        return self._llm

    @property
    def template(self) -> str:
        """The chat template in use (known once the model is loaded)."""
        return self._template

    def load(self) -> None:
        """Load now (used by ``siyada serve --preload`` and benchmarks)."""
        self._ensure_loaded()

    # -- preparing a request (worker thread) -----------------------------------------------
    def _render(self, req: ChatRequest) -> chat_templates.RenderedPrompt:
        llm = self._llm
        messages = tool_calls.messages_with_tools(req.messages, req.tools, req.tool_choice)
        if self._template == "gguf":
            bos = llm._model.token_get_text(llm.token_bos()) if llm.token_bos() != -1 else ""
            eos = llm._model.token_get_text(llm.token_eos()) if llm.token_eos() != -1 else ""
            return chat_templates.render_jinja(llm.metadata["tokenizer.chat_template"], messages, bos, eos)
        return chat_templates.render_builtin(self._template, messages)

    def _grammar(self, fmt: ResponseFormat | None, schema: dict[str, Any] | None = None) -> Any:
        from llama_cpp.llama_grammar import JSON_GBNF, LlamaGrammar

        try:
            if schema is not None:
                return LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
            if fmt is None:
                return None
            if fmt.type == "json_schema" and fmt.schema is not None:
                return LlamaGrammar.from_json_schema(json.dumps(fmt.schema), verbose=False)
            return LlamaGrammar.from_string(JSON_GBNF, verbose=False)
        # llama-cpp-python's schema converter reports unsupported schemas with assert statements.
        except (AssertionError, ValueError, RuntimeError, TypeError, KeyError, RecursionError) as exc:
            raise InvalidRequestError(
                f"the JSON schema cannot be turned into a grammar: {exc}",
                param="tools" if schema is not None else "response_format",
            ) from None

    def _tokenize(self, text: str, max_tokens: int | None, parts: list[tuple[str, bool]] | None = None) -> list[int]:
        if parts:
            tokens: list[int] = []
            for i, (piece, markup) in enumerate(parts):
                tokens += self._llm.tokenize(piece.encode("utf-8"), add_bos=i == 0, special=markup)
        else:
            tokens = self._llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)
        need = len(tokens) + (max_tokens or 1)
        if need > self.n_ctx:
            raise ContextLengthError(
                f"this model's context is {self.n_ctx} tokens; the request needs {len(tokens)} prompt tokens"
                f" + {max_tokens or 1} completion tokens = {need}; shorten the messages or max_tokens",
                param="messages",
            )
        return tokens

    def _prepare_chat(self, req: ChatRequest) -> _Job:
        self._ensure_loaded()
        rendered = self._render(req)
        tokens = self._tokenize(rendered.text, req.sampling.max_tokens, rendered.parts)
        mode, grammar = "", None
        if req.tools and req.tool_choice not in ("none",):
            if req.tool_choice == "auto":
                mode = "auto"
            else:
                mode = "forced"
                grammar = self._grammar(None, tool_calls.call_schema(req.tools, req.tool_choice))
        if grammar is None:
            grammar = self._grammar(req.response_format)
        return _Job(tokens, req.sampling, rendered.stop + req.sampling.stop, grammar, req.tools, mode)

    def _prepare_completion(self, req: CompletionRequest) -> _Job:
        self._ensure_loaded()
        tokens = self._tokenize(req.prompt, req.sampling.max_tokens)
        return _Job(tokens, req.sampling, list(req.sampling.stop), self._grammar(req.response_format), [])

    def _stop_token_ids(self, stops: list[str]) -> set[int]:
        ids = set()
        for s in stops:
            if s not in self._stop_ids:
                toks = self._llm.tokenize(s.encode("utf-8"), add_bos=False, special=True)
                self._stop_ids[s] = toks[0] if len(toks) == 1 else -1
            if self._stop_ids[s] >= 0:
                ids.add(self._stop_ids[s])
        return ids

    # -- the token loop (worker thread) ----------------------------------------------------
    def _generate(self, job: _Job, emit: Any, cancelled: threading.Event) -> None:
        import llama_cpp

        llm = self._llm
        s = job.sampling
        llm.set_seed(s.seed if s.seed is not None else int.from_bytes(os.urandom(4), "little"))
        max_tokens = s.max_tokens or (self.n_ctx - len(job.tokens))
        stop_ids = self._stop_token_ids(job.stops)
        text = StopStream(job.stops)
        buffered: list[str] = []
        buffering = job.tool_mode == "forced"
        finish: FinishReason = "length"
        n = 0
        temp = s.temperature if s.temperature is not None else self.default_temperature
        top_p = s.top_p if s.top_p is not None else self.default_top_p
        for token in llm.generate(
            job.tokens,
            temp=temp,
            top_p=top_p,
            grammar=job.grammar,
            repeat_penalty=self.repeat_penalty,
            presence_penalty=s.presence_penalty or 0.0,
            frequency_penalty=s.frequency_penalty or 0.0,
        ):
            if cancelled.is_set():
                return
            if token in stop_ids or llama_cpp.llama_vocab_is_eog(llm._model.vocab, token):
                finish = "stop"
                break
            n += 1
            piece = text.feed(llm.detokenize([token]))
            if text.stopped:
                finish = "stop"
            if piece:
                if job.tool_mode == "auto" and not buffered and not buffering and piece.lstrip().startswith("{"):
                    buffering = True  # it may be a tool call: hold it until we can parse it
                if buffering:
                    buffered.append(piece)
                else:
                    emit(Chunk(text=piece))
            if text.stopped or n >= max_tokens:
                break
        rest = text.flush()
        if buffering:
            buffered.append(rest)
            whole = "".join(buffered)
            call = tool_calls.parse_tool_call(whole, job.tools)
            if call is not None:
                emit(Chunk(tool_calls=[call], finish_reason="tool_calls", usage=Usage(len(job.tokens), n)))
                return
            rest = whole
        if rest:
            emit(Chunk(text=rest))
        emit(Chunk(finish_reason=finish, usage=Usage(len(job.tokens), n)))

    # -- the Backend protocol ----------------------------------------------------------------
    def chat(self, request: ChatRequest) -> AsyncIterator[Chunk]:
        return self._run(lambda: self._prepare_chat(request))

    def complete(self, request: CompletionRequest) -> AsyncIterator[Chunk]:
        return self._run(lambda: self._prepare_completion(request))

    async def _run(self, prepare: Any) -> AsyncIterator[Chunk]:
        await self.gate.acquire()
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Chunk | BaseException | None] = asyncio.Queue()
        cancelled = threading.Event()
        self._running.add(cancelled)

        def emit(item: Chunk | BaseException | None) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, item)

        def work() -> None:
            try:
                self._generate(prepare(), emit, cancelled)
            except BaseException as exc:
                emit(exc)
            finally:
                emit(None)

        future = loop.run_in_executor(self._executor, work)
        finished = False
        error: BaseException | None = None
        try:
            while True:
                item = await queue.get()
                if item is None:  # the worker's last act: it is done with the model
                    finished = True
                    break
                if isinstance(item, BaseException):
                    error = item  # keep reading until the worker is done, then raise
                    continue
                yield item
        finally:
            cancelled.set()
            self._running.discard(cancelled)
            if finished:
                self.gate.release()
            else:
                # Cancelled mid-generation: the slot is freed when the thread stops, never earlier,
                # so the next request cannot overlap this one on the same llama.cpp context.
                future.add_done_callback(lambda _f: loop.call_soon_threadsafe(self.gate.release))
        if error is not None:
            raise error

    async def aclose(self) -> None:
        # Stop any generation still running and wait for the worker to leave llama.cpp before
        # freeing the model: closing it under a running decode would crash the process.
        for cancelled in list(self._running):
            cancelled.set()
        await asyncio.to_thread(self._executor.shutdown, wait=True, cancel_futures=True)
        llm, self._llm = self._llm, None
        if llm is not None:
            llm.close()
