"""Knowledge bases over the deterministic fake embedder, in a temporary SIYADA_HOME."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from siyada.backends.registry import ModelRegistry
from siyada.rag.service import KnowledgeBase, KnowledgeService
from siyada.settings import ModelConfig, Settings, load_settings


def fake_settings(home: Path, **overrides: object) -> Settings:
    models = [
        ModelConfig(name="fake-embed", backend="fake", kind="embedding", params={"dim": 32}),
        ModelConfig(name="fake-embed-8", backend="fake", kind="embedding", params={"dim": 8}),
    ]
    return load_settings(
        home=home, models=models, default_embedding_model="fake-embed", load_sample_agents=False, **overrides
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return fake_settings(tmp_path / "home")


@pytest.fixture
def service(settings: Settings) -> Iterator[KnowledgeService]:
    svc = KnowledgeService(settings, ModelRegistry(settings))
    yield svc
    svc.close()


@pytest.fixture
def kb(service: KnowledgeService) -> KnowledgeBase:
    service.create("docs")
    return service.get("docs")


def pdf_bytes(pages: list[str], password: str | None = None) -> bytes:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    data = bytes(pdf.output())
    if password is None:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(title: str, sections: dict[str, list[str]]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    for heading, paragraphs in sections.items():
        document.add_heading(heading, level=1)
        for p in paragraphs:
            document.add_paragraph(p)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "ville", "population"
    table.cell(1, 0).text, table.cell(1, 1).text = "Tanger", "1275428"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tarifs"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX-named zip whose one member inflates 1000-fold (64 MB of zeros)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as member:
            block = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(block)
    return out.getvalue()


class Files:
    """Builders of small documents in each binary format (tests import nothing from conftest)."""

    pdf = staticmethod(pdf_bytes)
    docx = staticmethod(docx_bytes)
    xlsx = staticmethod(xlsx_bytes)
    zip_bomb_docx = staticmethod(zip_bomb_docx)


@pytest.fixture
def files() -> type[Files]:
    return Files
