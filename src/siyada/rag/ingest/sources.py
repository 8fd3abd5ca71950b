"""Expands what a user names (files, folders, globs) into the files to ingest, in a stable order."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from siyada.rag.ingest import supported
from siyada.rag.types import FileResult


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def expand(paths: Sequence[str | Path]) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest, plus an error result for each name that matches nothing.

    Folders are walked recursively for supported extensions (hidden files skipped); a file
    named explicitly is always tried, so an unsupported type gets its own clear error.
    """
    files: list[Path] = []
    missing: list[FileResult] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            files.append(resolved)

    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and supported(found.name) and not _is_hidden(found, path):
                    add(found)
        elif path.is_file():
            add(path)
        elif glob.has_magic(str(raw)):
            matches = sorted(Path(m) for m in glob.glob(str(path), recursive=True))
            matched = [m for m in matches if m.is_file()]
            if not matched:
                missing.append(FileResult(str(raw), "error", error="no file matches this pattern", status_code=404))
            for match in matched:
                add(match)
        else:
            missing.append(FileResult(str(raw), "error", error="no such file or folder", status_code=404))
    return files, missing
