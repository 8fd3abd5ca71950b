"""CSV/TSV and XLSX: rows become "column: value" lines, grouped into chunks of whole rows.

A row never straddles two chunks and the header is repeated in every group (as column names
on each line), so a retrieved chunk is readable on its own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from siyada.errors import MissingDependencyError
from siyada.rag.errors import IngestError
from siyada.rag.ingest.guards import check_zip, decode_text
from siyada.rag.types import Block, ParsedFile

GROUP_WORDS = 120  # a row group stays under this many words (one row may exceed it alone)
MAX_ROWS = 1_000_000


def _row_text(header: Sequence[str], row: Sequence[Any]) -> str:
    parts = []
    for i, value in enumerate(row):
        cell = "" if value is None else str(value).strip()
        if cell:
            name = header[i] if i < len(header) and header[i] else f"column {i + 1}"
            parts.append(f"{name}: {cell}")
    return "; ".join(parts)


def row_blocks(rows: Iterable[Sequence[Any]], heading: str = "") -> list[Block]:
    iterator = iter(rows)
    header = [str(h).strip() if h is not None else "" for h in next(iterator, [])]
    blocks: list[Block] = []
    group: list[str] = []
    words = 0
    for n, row in enumerate(iterator, start=2):
        if n > MAX_ROWS:
            raise IngestError(f"table has more than {MAX_ROWS} rows")
        line = _row_text(header, row)
        if not line:
            continue
        size = len(line.split())
        if group and words + size > GROUP_WORDS:
            blocks.append(Block("\n".join(group), heading=heading, atomic=True))
            group, words = [], 0
        group.append(line)
        words += size
    if group:
        blocks.append(Block("\n".join(group), heading=heading, atomic=True))
    return blocks


def read_csv(data: bytes, name: str) -> ParsedFile:
    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = "excel-tab" if name.lower().endswith(".tsv") else "excel"
    try:
        blocks = row_blocks(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise IngestError(f"malformed CSV: {exc}") from None
    return ParsedFile(title=PurePath(name).stem, blocks=blocks, format="csv")


def read_xlsx(data: bytes, name: str) -> ParsedFile:
    try:
        import openpyxl
    except ImportError:
        raise MissingDependencyError("openpyxl", "rag") from None
    check_zip(data, "XLSX")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    blocks: list[Block] = []
    try:
        for sheet in workbook.worksheets:
            blocks.extend(row_blocks(sheet.iter_rows(values_only=True), heading=sheet.title))
    finally:
        workbook.close()
    title = (workbook.properties.title or "").strip() or PurePath(name).stem
    return ParsedFile(title=title, blocks=blocks, format="xlsx")
