"""The development organisations of ``bench/orgs/`` and their tune/check split.

Each ``bench/orgs/<org>/`` holds an agent spec (``agent.yaml``), its documents (``docs/``, each
in one language: French, MSA or Darija in Arabic script), ``questions.yaml`` (answerable
questions, each naming the document it must cite) and ``offtopic.yaml`` (questions the documents
do not answer; ``kind: near`` for near-domain ones). All of it was written for this benchmark;
the organisations are fictional.

**Split (decision).** Inside each organisation, the questions of each language (and the
off-topic questions of each language) are sorted by the SHA-1 of their text and dealt
alternately to *tune* and *check*, so both halves hold every language and every organisation.
Thresholds, weights and lexicon entries are chosen on *tune*; *check* is reported. Organisations
listed in ``HELD_OUT`` are *check* only: they were written by someone else and nobody tuning
read them (the stand-in for "a new organisation").
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ORGS_DIR = Path(__file__).resolve().parent / "orgs"
HELD_OUT = frozenset({"insurer", "utility"})
LANGS = ("fra_Latn", "arb_Arab", "ary_Arab", "ary_Latn")
SPLITS = ("tune", "check")


@dataclass(slots=True)
class Question:
    org: str
    q: str
    lang: str
    doc: str | None  # None: off-topic
    doc_lang: str | None  # language of the document (fra_Latn / arb_Arab / ary_Arab)
    split: str
    kind: str = "answerable"  # answerable | far | near


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def split_items(items: list[dict[str, str]], held_out: bool) -> list[tuple[dict[str, str], str]]:
    """Deal each language's items alternately to tune and check, in SHA-1 order."""
    by_lang: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in items:
        by_lang[item["lang"]].append(item)
    out = []
    for group in by_lang.values():
        for i, item in enumerate(sorted(group, key=lambda it: _digest(it["q"]))):
            out.append((item, "check" if held_out or i % 2 == 1 else "tune"))
    return out


def doc_languages(org_dir: Path) -> dict[str, str]:
    """Language of each document, identified once over its whole text (fra/arb/ary)."""
    from siyada.lang import identify

    out = {}
    for path in sorted((org_dir / "docs").iterdir()):
        out[path.name] = identify(path.read_text(encoding="utf-8")).label
    return out


def orgs() -> list[str]:
    return sorted(p.name for p in ORGS_DIR.iterdir() if (p / "questions.yaml").is_file())


def load(org: str) -> list[Question]:
    folder = ORGS_DIR / org
    held = org in HELD_OUT
    langs = doc_languages(folder)
    items = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))
    off = yaml.safe_load((folder / "offtopic.yaml").read_text(encoding="utf-8"))
    out = [
        Question(org, it["q"], it["lang"], it["doc"], langs.get(it["doc"]), split)
        for it, split in split_items(items, held)
    ]
    out += [
        Question(org, it["q"], it["lang"], None, None, split, it.get("kind", "far"))
        for it, split in split_items(off, held)
    ]
    return out
