"""``POST /v1/lang/identify``, ``/v1/lang/transliterate``, ``/v1/lang/normalize``.

Key decision: every endpoint takes ``input`` as one string or a list of strings and answers
``{"data": [...]}`` with one object per input, in order, so a client handles one shape. Limits
(inputs per request, characters per input) are checked before any work and answered with a 4xx
that says which limit was hit. The work is CPU-bound and short, so it runs in the thread pool.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from siyada.errors import InvalidRequestError, PayloadTooLargeError

router = APIRouter(tags=["lang"])

MAX_INPUTS = 1000
MAX_TEXT_CHARS = 100_000


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: str | list[str] = Field(description="One text or a list of texts.")


class IdentifyBody(_Body):
    k: int = Field(3, ge=1, le=9, description="How many candidate labels to return per text.")


class TransliterateBody(_Body):
    to: Literal["Arab", "Latn", "Tfng"] = Field(description="Target script.")
    source: Literal["Arab", "Latn", "Tfng"] | None = Field(None, description="Source script (detected if omitted).")
    n: int = Field(5, ge=1, le=20, description="How many candidates to return per text.")


class NormalizeBody(_Body):
    taa_marbuta: bool = Field(False, description="Also fold ة to ه.")
    alef_maqsura: bool = Field(True, description="Fold ى to ي.")
    lower: bool = Field(False, description="Also lower-case.")
    search_key: bool = Field(False, description="Also return the search key of each text.")


def _texts(body: _Body) -> list[str]:
    texts = [body.input] if isinstance(body.input, str) else body.input
    if not texts:
        raise InvalidRequestError("'input' must hold at least one text", param="input")
    if len(texts) > MAX_INPUTS:
        raise InvalidRequestError(f"at most {MAX_INPUTS} texts per request, got {len(texts)}", param="input")
    for i, text in enumerate(texts):
        if len(text) > MAX_TEXT_CHARS:
            raise PayloadTooLargeError(f"input[{i}] has {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    return texts


def _identify(texts: list[str], k: int) -> list[dict[str, Any]]:
    from siyada.lang import identify_batch

    return [
        {
            "text": t,
            "lang": r.label,
            "score": r.score,
            "script": r.script,
            "top": [{"lang": label, "score": score} for label, score in r.top],
            "variety": r.variety,
        }
        for t, r in zip(texts, identify_batch(texts, k=k), strict=True)
    ]


def _transliterate(texts: list[str], body: TransliterateBody) -> list[dict[str, Any]]:
    from siyada.lang import transliterate

    out = []
    for text in texts:
        r = transliterate(text, to=body.to, source=body.source, n=body.n)
        out.append({"text": text, "result": r.result, "candidates": r.candidates, "source": r.source})
    return out


def _normalize(texts: list[str], body: NormalizeBody) -> list[dict[str, Any]]:
    from siyada.lang import normalize, search_key

    out = []
    for text in texts:
        item: dict[str, Any] = {
            "text": text,
            "result": normalize(text, taa_marbuta=body.taa_marbuta, alef_maqsura=body.alef_maqsura, lower=body.lower),
        }
        if body.search_key:
            item["search_key"] = search_key(text)
        out.append(item)
    return out


@router.post("/v1/lang/identify")
async def identify(body: IdentifyBody) -> dict[str, Any]:
    """Language of each text: label, score, script, top-k and Berber variety."""
    texts = _texts(body)
    return {"data": await run_in_threadpool(_identify, texts, body.k)}


@router.post("/v1/lang/transliterate")
async def transliterate(body: TransliterateBody) -> dict[str, Any]:
    """Each text written in the target script, with candidates best first."""
    texts = _texts(body)
    return {"data": await run_in_threadpool(_transliterate, texts, body)}


@router.post("/v1/lang/normalize")
async def normalize(body: NormalizeBody) -> dict[str, Any]:
    """Each text normalised (and its search key when asked)."""
    texts = _texts(body)
    return {"data": await run_in_threadpool(_normalize, texts, body)}
