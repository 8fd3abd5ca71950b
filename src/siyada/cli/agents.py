"""``siyada agents``: list, inspect, check and run declarative agents from the shell.

``run`` answers one question with the same service the server uses (knowledge bases under
``$SIYADA_HOME``, filled on first use) and prints the answer as it is written, then its
citations; ``--json`` prints the whole answer record for scripts.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from siyada.agents.runner import AgentAnswer
from siyada.agents.service import AgentService
from siyada.agents.spec import load_spec, spec_schema
from siyada.backends.registry import ModelRegistry
from siyada.cli.common import ConfigOption, JsonOption, fail, print_json, settings_from
from siyada.types import Message

app = typer.Typer(help="List and run declarative agents.", no_args_is_help=True)
err = Console(stderr=True)

NameArg = Annotated[str, typer.Argument(help="Agent name (as listed by 'siyada agents ls'; 'agent:' optional).")]
MODES = ("auto", "extractive", "generative")


def _service(config: Path | None) -> AgentService:
    settings = settings_from(config)
    return AgentService(settings, ModelRegistry(settings))


@app.command("ls")
def list_agents(config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """List the agents: bundled samples, extra folders and $SIYADA_HOME/agents."""
    service = _service(config)
    rows = [
        {
            "name": a.spec.name,
            "description": a.spec.description,
            "model": a.spec.model,
            "answer_mode": a.spec.answer_mode,
            "examples": a.spec.examples,
            "path": str(a.path),
        }
        for a in service.all()
    ]
    if as_json:
        print_json({"agents": rows, "errors": [e.message for e in service.errors]})
        return
    table = Table("name", "description", "mode", box=None)
    for r in rows:
        table.add_row(str(r["name"]), str(r["description"]), str(r["answer_mode"]))
    Console().print(table)
    for e in service.errors:
        err.print(f"[yellow]invalid spec[/] {e.message}", markup=True, highlight=False)


@app.command()
def show(name: NameArg, config: ConfigOption = None) -> None:
    """Print an agent's validated spec as JSON."""
    agent = _service(config).get(name)
    print_json({"path": str(agent.path), **agent.spec.model_dump()})


@app.command()
def check(path: Annotated[Path, typer.Argument(help="An agent spec (YAML) to validate.")]) -> None:
    """Validate a spec file; errors name the file, line and field."""
    spec = load_spec(path)
    typer.echo(f"ok: agent '{spec.name}' ({path})")


@app.command()
def schema() -> None:
    """Print the JSON schema of agent specs."""
    print_json(spec_schema())


@app.command()
def run(
    name: NameArg,
    question: Annotated[str, typer.Argument(help="The question, in any language.")],
    mode: Annotated[str | None, typer.Option(help="Override the answer mode: auto, extractive, generative.")] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ask an agent one question and print the answer with its citations."""
    if mode is not None and mode not in MODES:
        fail(f"--mode must be one of {', '.join(MODES)}")
    if not question.strip():
        fail("the question is empty")
    service = _service(config)
    service.get(name)
    messages = [Message(role="user", content=question)]
    if as_json:
        with err.status("preparing the agent's knowledge bases and answering…"):
            answer = asyncio.run(service.answer(name, messages, mode))
        print_json({"answer": answer.text, "citations": [c.to_dict() for c in answer.citations], **answer.meta()})
        return
    answer = asyncio.run(_stream_answer(service, name, messages, mode))
    for c in answer.citations:
        typer.echo(
            f"[{c.index}] {c.title or c.document_id} — {Path(c.source).name or c.source}: "
            f"{json.dumps(c.snippet, ensure_ascii=False)}"
        )
    err.print(f"mode {answer.mode}, question language {answer.language}", highlight=False)


async def _stream_answer(service: AgentService, name: str, messages: list[Message], mode: str | None) -> AgentAnswer:
    """Print the answer on stdout as it is written; return the finished answer."""
    status = err.status("preparing the agent's knowledge bases and answering…")
    status.start()
    answer: AgentAnswer | None = None
    try:
        async for item in service.stream(name, messages, mode):
            if isinstance(item, AgentAnswer):
                answer = item
            else:
                status.stop()
                sys.stdout.write(item)
                sys.stdout.flush()
    finally:
        status.stop()
    sys.stdout.write("\n")
    assert answer is not None
    return answer
