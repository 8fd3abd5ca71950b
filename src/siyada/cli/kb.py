"""``siyada kb``: create, list, fill, search and remove knowledge bases from the shell.

Bases live under ``$SIYADA_HOME/knowledge`` and are the same ones a running server serves.
``add`` reports each file on stderr (progress bar while it works) and exits 1 when any file
failed, after ingesting all the others.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from siyada.backends.registry import ModelRegistry
from siyada.cli.common import ConfigOption, JsonOption, fail, print_json, settings_from
from siyada.errors import InvalidRequestError
from siyada.rag.service import KnowledgeService
from siyada.rag.types import SEARCH_MODES, IngestReport

app = typer.Typer(help="Create, fill and search knowledge bases.", no_args_is_help=True)
err = Console(stderr=True)

NameArg = Annotated[str, typer.Argument(help="Knowledge base name (lower-case letters, digits, '-', '_').")]


def _service(config: Path | None) -> KnowledgeService:
    settings = settings_from(config)
    return KnowledgeService(settings, ModelRegistry(settings))


@app.command()
def create(
    name: NameArg,
    description: Annotated[str, typer.Option("--description", "-d", help="What the base holds.")] = "",
    store: Annotated[str, typer.Option(help="Where vectors live: sqlite (embedded) or milvus.")] = "sqlite",
    embedder: Annotated[str | None, typer.Option(help="Embedding model (default: the configured default).")] = None,
    milvus_uri: Annotated[
        str | None,
        typer.Option(help="Milvus server URI for --store milvus (default: a milvus-lite file in the base's folder)."),
    ] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create an empty knowledge base."""
    options = {"uri": milvus_uri} if milvus_uri else None
    info = _service(config).create(name, description=description, store=store, embedder=embedder, options=options)
    if as_json:
        print_json(asdict(info))
    else:
        typer.echo(f"created knowledge base '{info.name}' ({info.store}, embedder {info.embedder})")


@app.command()
def show(name: NameArg, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Show a base: counts, embedder, and its calibrated relevance threshold.

    The threshold is made from the base's own pseudo-questions and a bundled pool of off-topic
    probes (docs/knowledge.md), on first use and again whenever its documents change; agents
    refuse to quote a passage whose relevance score is under it.
    """
    kb = _service(config).get(name)
    info, cal = asdict(kb.info()), kb.calibration().to_dict()
    if as_json:
        print_json({**info, "relevance": cal})
        return
    for key in ("name", "description", "documents", "chunks", "store", "embedder", "dim"):
        typer.echo(f"{key}: {info[key]}")
    if cal["threshold"] is None:
        typer.echo("relevance threshold: none (empty base: the gate is open)")
        return
    typer.echo(
        f"relevance threshold: {cal['threshold']:.4f} (calibrated on {cal['pseudo']} pseudo-questions: "
        f"{cal['pseudo_refused']:.0%} under it; {cal['probes']} off-topic probes: "
        f"{cal['probes_refused']:.0%} under it)"
    )


@app.command("ls")
def list_bases(
    name: Annotated[str | None, typer.Argument(help="A base name: list its documents instead.")] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """List knowledge bases, or the documents of one base."""
    svc = _service(config)
    if name is not None:
        docs = svc.get(name).documents()
        if as_json:
            print_json([asdict(d) for d in docs])
            return
        table = Table("id", "title", "lang", "chunks", "source")
        for d in docs:
            table.add_row(d.id, d.title, d.lang, str(d.chunks), d.source)
        Console().print(table)
        return
    infos = svc.list()
    if as_json:
        print_json([asdict(i) for i in infos])
        return
    table = Table("name", "documents", "chunks", "store", "embedder", "description")
    for i in infos:
        table.add_row(i.name, str(i.documents), str(i.chunks), i.store, i.embedder, i.description)
    Console().print(table)


@app.command()
def add(
    name: NameArg,
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or glob patterns ('docs/**/*.pdf').")],
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag every added document (repeatable).")] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add files to a base: unchanged files are skipped, changed ones replaced."""
    kb = _service(config).get(name)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("ingesting", total=None)

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(path).name[:40])

        report = kb.add_paths(paths, tags=tag, progress=progress)
    _print_report(report, as_json)
    if report.errors:
        raise typer.Exit(1)


def _print_report(report: IngestReport, as_json: bool) -> None:
    if as_json:
        print_json([asdict(r) for r in report.results])
    counts: dict[str, int] = {}
    for r in report.results:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.status == "error":
            typer.echo(f"error: {r.path}: {r.error}", err=True)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no files"
    chunks = sum(r.chunks for r in report.results if r.status in ("added", "replaced"))
    typer.echo(f"{summary}; {chunks} chunks written", err=True)


@app.command("rm")
def remove(
    name: NameArg,
    document_ids: Annotated[list[str] | None, typer.Argument(help="Documents to remove; none: the whole base.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm deleting a whole base.")] = False,
    config: ConfigOption = None,
) -> None:
    """Remove documents from a base, or (with --yes and no ids) delete the base."""
    svc = _service(config)
    if document_ids:
        kb = svc.get(name)
        for doc_id in document_ids:
            kb.remove(doc_id)
            typer.echo(f"removed document {doc_id}")
        return
    svc.get(name)  # 404 before asking for confirmation
    if not yes:
        fail(f"this deletes the knowledge base '{name}' and all its documents; add --yes to confirm")
    svc.delete(name)
    typer.echo(f"deleted knowledge base '{name}'")


def _filters(items: list[str] | None) -> dict[str, Any] | None:
    filters: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InvalidRequestError(f"filter '{item}' is not key=value")
        filters.setdefault(key, []).append(value)
    return filters or None


@app.command()
def search(
    name: NameArg,
    query: Annotated[str, typer.Argument(help="What to look for, in any language or script.")],
    top_k: Annotated[int, typer.Option("--top-k", "-k", help="How many passages to return.")] = 5,
    filter_: Annotated[
        list[str] | None,
        typer.Option(
            "--filter", "-f", help="key=value on lang, tags, document_id, format, title, source (repeatable)."
        ),
    ] = None,
    mode: Annotated[str, typer.Option(help=f"Ranking: {', '.join(SEARCH_MODES)}.")] = "hybrid",
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search a base; each hit names its document, source and position for citation."""
    hits = _service(config).get(name).search(query, top_k=top_k, filters=_filters(filter_), mode=mode)
    if as_json:
        print_json({"data": [asdict(h) for h in hits]})
        return
    if not hits:
        typer.echo("no match", err=True)
    for n, h in enumerate(hits, start=1):
        where = f"{h.source} #{h.position}"
        typer.echo(f"[{n}] {h.score:.4f}  {h.title}  ({where}, {h.lang})")
        typer.echo("    " + json.dumps(h.text[:300], ensure_ascii=False)[1:-1])


@app.command()
def check(name: NameArg, config: ConfigOption = None) -> None:
    """Check a base's consistency (documents, chunks, keyword index, vectors)."""
    problems = _service(config).get(name).check()
    for p in problems:
        typer.echo(f"problem: {p}", err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo("ok")
