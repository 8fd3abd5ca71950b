"""The agent service: the catalog of specs, their knowledge bases, and a runner per request.

Specs come from the bundled samples (``settings.load_sample_agents``), then
``settings.agents_dirs``, then ``$SIYADA_HOME/agents``; a later folder's agent replaces an earlier
one of the same name, so an organisation can override a sample. A folder holds ``*.yaml`` specs
or sub-folders with an ``agent.yaml``. A spec that does not validate is kept aside in
``errors`` (listed by ``siyada agents ls``) instead of stopping the server.

Knowledge bases named in a spec with ``paths`` are created and filled on first use — or at server
start by :func:`warm_up`, in a thread — through the shared ``KnowledgeService``; ingestion is
content-hashed, so restarting costs one hash per file. A request for an agent whose bases are
still being filled waits for them (one lock per agent).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from siyada.agents.policy import answer_mode
from siyada.agents.runner import AgentAnswer, AgentRunner
from siyada.agents.spec import AgentSpec, SpecError, load_spec
from siyada.agents.tools.base import Tool, ToolContext, ToolError, build_tool
from siyada.errors import ModelNotFoundError, NotFoundError, SiyadaError
from siyada.settings import ModelConfig, Settings
from siyada.types import Message

if TYPE_CHECKING:
    from siyada.backends.registry import ModelRegistry
    from siyada.serve.state import AppState

log = logging.getLogger(__name__)
AGENT_PREFIX = "agent:"


@dataclass(slots=True)
class LoadedAgent:
    spec: AgentSpec
    path: Path  # the spec file; knowledge paths are relative to its folder
    sample: bool = False


def sample_dir() -> Path:
    """Folder of the bundled sample agents (a real folder: the package is installed unzipped)."""
    with as_file(files("siyada.agents").joinpath("samples")) as path:
        return Path(path)


def spec_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    found = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml"), *folder.glob("*/agent.yaml")])
    return [p for p in found if p.name not in ("eval.yaml",)]


def check_tools(spec: AgentSpec, path: Path) -> None:
    """Build each tool once so a bad tool config is a spec error at load, not a failed request."""
    for i, ref in enumerate(spec.tools):
        try:
            build_tool(ref.name, ref.config, ToolContext())
        except ToolError as exc:
            raise SpecError(path, None, f"tools.{i}.config", exc.message) from None


def load_catalog(settings: Settings) -> tuple[dict[str, LoadedAgent], list[SpecError]]:
    folders: list[tuple[Path, bool]] = []
    if settings.load_sample_agents:
        folders.append((sample_dir(), True))
    folders += [(Path(d).expanduser(), False) for d in settings.agents_dirs]
    folders.append((settings.agents_dir, False))
    agents: dict[str, LoadedAgent] = {}
    errors: list[SpecError] = []
    for folder, sample in folders:
        for path in spec_files(folder):
            try:
                spec = load_spec(path)
                check_tools(spec, path)
            except SpecError as exc:
                errors.append(exc)
                continue
            agents[spec.name] = LoadedAgent(spec=spec, path=path, sample=sample)
    return agents, errors


def agent_name(model: str) -> str:
    return model.removeprefix(AGENT_PREFIX)


class AgentService:
    def __init__(self, settings: Settings, registry: ModelRegistry, knowledge: Callable[[], Any] | None = None) -> None:
        self.settings = settings
        self.registry = registry
        self._knowledge_factory = knowledge
        self.agents, self.errors = load_catalog(settings)
        self._ready: set[str] = set()
        self._locks: dict[str, threading.Lock] = {name: threading.Lock() for name in self.agents}

    def all(self) -> list[LoadedAgent]:
        return sorted(self.agents.values(), key=lambda a: a.spec.name)

    def get(self, name: str) -> LoadedAgent:
        name = agent_name(name)
        try:
            return self.agents[name]
        except KeyError:
            known = ", ".join(sorted(self.agents)) or "none"
            raise NotFoundError(
                f"the agent '{name}' does not exist; agents: {known}", param="model", code="agent_not_found"
            ) from None

    def knowledge(self) -> Any:
        if self._knowledge_factory is None:
            from siyada.rag.service import KnowledgeService

            service = KnowledgeService(self.settings, self.registry)
            self._knowledge_factory = lambda: service
        return self._knowledge_factory()

    def prepare(self, name: str) -> None:
        """Create and fill the agent's declared knowledge bases (once; content-hashed)."""
        agent = self.get(name)
        with self._locks[agent.spec.name]:
            if agent.spec.name in self._ready:
                return
            refs = [r for r in agent.spec.knowledge if r.paths]
            if refs:
                svc = self.knowledge()
                for ref in refs:
                    try:
                        kb = svc.get(ref.name)
                    except NotFoundError:
                        with contextlib.suppress(SiyadaError):  # created meanwhile by another process
                            svc.create(ref.name, description=ref.description)
                        kb = svc.get(ref.name)
                    kb.add_paths([agent.path.parent / p for p in ref.paths])
            self._ready.add(agent.spec.name)

    def warm(self) -> None:
        for agent in self.all():
            try:
                self.prepare(agent.spec.name)
            except Exception:  # one broken base must not keep the other agents from starting
                log.exception("agent %s: preparing its knowledge bases failed", agent.spec.name)

    def _model(self, spec: AgentSpec) -> ModelConfig | None:
        try:
            return self.registry.config(spec.model or self.settings.default_chat_model)
        except ModelNotFoundError:
            if spec.model is not None and spec.answer_mode == "generative":
                raise
            return None

    def tools(self, spec: AgentSpec) -> dict[str, Tool]:
        ctx = ToolContext(
            settings=self.settings,
            knowledge_refs=list(spec.knowledge),
            knowledge=lambda name: self.knowledge().get(name),
        )
        tools: dict[str, Tool] = {}
        if spec.knowledge:
            tools["search_knowledge"] = build_tool("search_knowledge", {}, ctx)
        for ref in spec.tools:
            tools[ref.name] = build_tool(ref.name, ref.config, ctx)
        return tools

    def runner(self, name: str, mode: str | None = None) -> AgentRunner:
        agent = self.get(name)
        self.prepare(agent.spec.name)
        cfg = self._model(agent.spec)
        backend = None
        if cfg is not None and answer_mode(agent.spec, cfg, mode) == "generative":
            backend = self.registry.backend(cfg.name)
        return AgentRunner(agent.spec, self.tools(agent.spec), backend, cfg, mode)

    async def answer(self, name: str, messages: list[Message], mode: str | None = None) -> AgentAnswer:
        runner = await asyncio.to_thread(self.runner, name, mode)
        return await runner.answer(messages)

    async def stream(
        self, name: str, messages: list[Message], mode: str | None = None
    ) -> AsyncGenerator[str | AgentAnswer, None]:
        """Text pieces as the answer is written, then the AgentAnswer (see AgentRunner.stream)."""
        runner = await asyncio.to_thread(self.runner, name, mode)
        stream = runner.stream(messages)
        try:
            async for item in stream:
                yield item
        finally:
            await stream.aclose()


def agent_service(state: AppState) -> AgentService:
    """The server's one AgentService, sharing the knowledge service with the knowledge routes."""

    def knowledge() -> Any:
        from siyada.rag.service import KnowledgeService

        return state.lazy("knowledge", lambda s: KnowledgeService(s.settings, s.registry))

    service: AgentService = state.lazy("agents", lambda s: AgentService(s.settings, s.registry, knowledge))
    return service


def agents_configured(settings: Settings) -> bool:
    """Whether this server has any agents to offer (samples, extra folders, or $SIYADA_HOME/agents)."""
    return bool(settings.load_sample_agents or settings.agents_dirs or settings.agents_dir.is_dir())


def warm_up(state: AppState) -> threading.Thread | None:
    """Load the agents and fill their bases in a background thread (server start).

    Skipped when the default embedder is not configured (a gateway of remote or fake models):
    bases cannot be built then, and agents still load lazily on first use.
    """
    s = state.settings
    if not agents_configured(s):
        return None
    if s.default_embedding_model not in {c.name for c in state.registry.configs()}:
        return None
    thread = threading.Thread(target=lambda: agent_service(state).warm(), name="siyada-agents-warm-up", daemon=True)
    thread.start()
    return thread
