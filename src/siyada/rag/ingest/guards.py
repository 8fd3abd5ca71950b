"""Checks run before a library sees hostile bytes: binary content, zip bombs, decoding.

Zip containers (DOCX, XLSX) are inspected from their central directory without inflating
anything: a total uncompressed size or a compression ratio far beyond real office files is
refused, so a 40 KB file that inflates to gigabytes never reaches python-docx or openpyxl.
"""

from __future__ import annotations

import io
import zipfile

from siyada.rag.errors import IngestError

MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000


def check_zip(data: bytes, kind: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IngestError(f"not a valid {kind} file (corrupt or truncated zip container)") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise IngestError(f"{kind} file has {len(infos)} parts; refusing a possible zip bomb")
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
            raise IngestError(
                f"{kind} file inflates to {total / 1e6:.0f} MB from {packed / 1e6:.2f} MB; refusing a possible zip bomb"
            )


def decode_text(data: bytes) -> str:
    """Decode a text file (UTF-8, UTF-8 with BOM, UTF-16 with BOM), refusing binary content."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError("invalid UTF-16 text") from None
    head = data[:65536]
    if b"\x00" in head:
        raise IngestError("binary content, not text (NUL bytes)")
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    controls = sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\t\n\r\f")
    sample = max(1, min(len(text), 65536))
    if bad / max(1, len(text)) > 0.01 or controls / sample > 0.01:
        raise IngestError("binary content or unknown encoding, not UTF-8 text")
    return text.replace("\ufffd", "")
