"""Gateway commands: ``serve``, ``chat``, ``models``, ``embed``."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from siyada.backends.registry import ModelRegistry
from siyada.cli.common import ConfigOption, JsonOption, print_json, settings_from
from siyada.errors import ModelNotFoundError
from siyada.settings import ModelConfig, Settings
from siyada.types import ChatRequest, Message, SamplingParams

err = Console(stderr=True)


def serve(
    config: ConfigOption = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1: this machine only).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8000).")] = None,
    preload: Annotated[bool, typer.Option(help="Load the default chat model before accepting requests.")] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Start the OpenAI- and Mistral-compatible API server (and the web chat at /)."""
    import uvicorn

    from siyada.serve.app import create_app

    settings = settings_from(config, host=host, port=port)
    registry = ModelRegistry(settings)
    if preload:
        backend = registry.backend(settings.default_chat_model)
        load = getattr(backend, "load", None)
        if load is not None:
            load()
    app = create_app(settings, registry)
    names = ", ".join(c.name for c in registry.configs())
    err.print(f"[bold]Siyada[/bold] on http://{settings.host}:{settings.port}  models: {names}  home: {settings.home}")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=log_level)


def _registry_for(settings: Settings, model: str | None) -> tuple[ModelRegistry, str]:
    """The registry, extended with an ad-hoc entry when ``model`` is a local .gguf file."""
    registry = ModelRegistry(settings)
    name = model or settings.default_chat_model
    try:
        registry.config(name)
        return registry, name
    except ModelNotFoundError:
        path = Path(name).expanduser()
        if not path.is_file():
            known = ", ".join(c.name for c in registry.configs() if c.kind == "chat")
            raise ModelNotFoundError(
                f"'{name}' is neither a configured model ({known}) nor a local .gguf file; give a file path "
                "or add the model to your config (Siyada never downloads models)"
            ) from None
        local = ModelConfig(
            name=path.stem, backend="llamacpp", params={"path": str(path)}, labels={"location": "local"}
        )
        settings = settings.model_copy(update={"models": [*registry.configs(), local]})
        return ModelRegistry(settings), local.name


async def _chat_turn(
    registry: ModelRegistry, name: str, messages: list[Message], sampling: SamplingParams, console: Console
) -> str:
    backend = registry.backend(name)
    parts: list[str] = []
    async for chunk in backend.chat(ChatRequest(model=name, messages=messages, sampling=sampling)):
        if chunk.text:
            parts.append(chunk.text)
            console.print(chunk.text, end="", markup=False, highlight=False, soft_wrap=True)
    console.print()
    return "".join(parts)


def chat(
    model: Annotated[str | None, typer.Argument(help="A configured model name or a path to a .gguf file.")] = None,
    config: ConfigOption = None,
    message: Annotated[str | None, typer.Option("--message", "-m", help="Ask one question and exit.")] = None,
    system: Annotated[str | None, typer.Option(help="System instructions for the conversation.")] = None,
    max_tokens: Annotated[int, typer.Option(help="Longest reply, in tokens.")] = 256,
    temperature: Annotated[float | None, typer.Option(help="Sampling temperature.")] = None,
) -> None:
    """Chat with a model in the terminal, streaming its replies (Ctrl-D or /exit to quit)."""
    settings = settings_from(config)
    registry, name = _registry_for(settings, model)
    out = Console()
    sampling = SamplingParams(max_tokens=max_tokens, temperature=temperature)
    history: list[Message] = [Message(role="system", content=system)] if system else []

    async def run() -> None:
        try:
            if message is not None:
                history.append(Message(role="user", content=message))
                await _chat_turn(registry, name, history, sampling, out)
                return
            err.print(f"chatting with [bold]{name}[/bold]; /exit or Ctrl-D to quit")
            while True:
                try:
                    line = await asyncio.to_thread(input, "> ")
                except EOFError:
                    return
                if line.strip() in ("/exit", "/quit"):
                    return
                if not line.strip():
                    continue
                history.append(Message(role="user", content=line))
                reply = await _chat_turn(registry, name, history, sampling, out)
                history.append(Message(role="assistant", content=reply))
        finally:
            await registry.aclose()

    asyncio.run(run())


def models(config: ConfigOption = None, json_: JsonOption = False) -> None:
    """List the configured models with their backend and governance labels."""
    registry = ModelRegistry(settings_from(config))
    rows = [c.model_dump() for c in registry.configs()]
    if json_:
        print_json(rows)
        return
    table = Table("name", "kind", "backend", "labels", "tags")
    for c in registry.configs():
        table.add_row(c.name, c.kind, c.backend, ", ".join(f"{k}={v}" for k, v in c.labels.items()), ", ".join(c.tags))
    Console().print(table)


def embed(
    texts: Annotated[list[str] | None, typer.Argument(help="Texts to embed (default: one per line on stdin).")] = None,
    config: ConfigOption = None,
    model: Annotated[str | None, typer.Option(help="Embedding model (default: the configured default).")] = None,
    query: Annotated[bool, typer.Option("--query", help="Embed as search queries (e5 'query:' prefix).")] = False,
    json_: JsonOption = False,
) -> None:
    """Embed texts and print the vectors (JSON) or a short summary."""
    items = texts or [line.rstrip("\n") for line in sys.stdin if line.strip()]
    if not items:
        raise typer.BadParameter("give at least one text (as arguments or lines on stdin)")
    registry = ModelRegistry(settings_from(config))
    embedder = registry.embedder(model)
    vectors = embedder.embed(items, kind="query" if query else "passage")
    if json_:
        print_json([{"text": t, "embedding": v} for t, v in zip(items, vectors, strict=True)])
        return
    for t, v in zip(items, vectors, strict=True):
        head = " ".join(f"{x:+.4f}" for x in v[:6])
        typer.echo(f"{len(v)}d  [{head} ...]  {t}")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(chat)
    app.command()(models)
    app.command()(embed)
