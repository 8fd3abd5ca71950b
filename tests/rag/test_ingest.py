"""Every reader on a real file of its format, and every kind of bad input gets a clear error."""

from __future__ import annotations

import pytest

from siyada.rag import ingest
from siyada.rag.errors import IngestError, UnsupportedFormatError


def texts(parsed: ingest.ParsedFile) -> str:
    return "\n".join(b.text for b in parsed.blocks)


def test_pdf_text_layer_with_pages(files):
    parsed = ingest.read(
        "guide.pdf", files.pdf(["La carte nationale se renouvelle a la prefecture.", "Deuxieme page sur le passeport."])
    )
    assert parsed.format == "pdf"
    assert "prefecture" in texts(parsed)
    assert [b.page for b in parsed.blocks] == [1, 2]


def test_docx_headings_paragraphs_and_tables(files):
    data = files.docx("Guide", {"Inscription": ["Apportez votre CIN."], "Horaires": ["Ouvert le lundi."]})
    parsed = ingest.read("guide.docx", data)
    by_text = {b.text: b.heading for b in parsed.blocks}
    assert parsed.title == "Guide"
    assert by_text["Apportez votre CIN."] == "Guide > Inscription"
    assert by_text["ville | population\nTanger | 1275428"] == "Guide > Horaires"


def test_html_keeps_main_text_and_drops_boilerplate():
    html = b"""<html><head><title>Mairie</title><script>var x=1;</script></head><body>
      <nav><a href="/">Accueil</a> Menu principal</nav>
      <main><h1>Etat civil</h1><p>Le bureau ouvre a 8h.</p><p>Apportez &eacute;galement une photo.</p></main>
      <footer>Copyright 2025 tous droits reserves</footer></body></html>"""
    parsed = ingest.read("page.html", html)
    text = texts(parsed)
    assert parsed.title == "Mairie"
    assert "Le bureau ouvre a 8h." in text and "également" in text
    assert "Menu" not in text and "Copyright" not in text and "var x" not in text
    assert parsed.blocks[0].heading == "Etat civil"


def test_html_without_main_drops_nav_only():
    parsed = ingest.read("p.htm", b"<body><header>Logo</header><div>Contenu utile</div><aside>pub</aside></body>")
    assert texts(parsed) == "Contenu utile"


def test_markdown_sections_and_code_fences():
    md = "---\ntitle: x\n---\n# Guide\n\nIntro.\n\n## Etape 1\n\nRemplir.\n\n```\n# not a heading\n```\n"
    parsed = ingest.read("g.md", md.encode())
    assert parsed.title == "Guide"
    assert [(b.heading, b.text) for b in parsed.blocks] == [
        ("Guide", "Intro."),
        ("Guide > Etape 1", "Remplir."),
        ("Guide > Etape 1", "```\n# not a heading\n```"),
    ]


def test_text_utf8_bom_and_utf16():
    assert texts(ingest.read("a.txt", "\ufeffسلام\n\nbonjour".encode())) == "سلام\nbonjour"
    assert texts(ingest.read("b.txt", "ⵣ أهلا".encode("utf-16"))) == "ⵣ أهلا"


def test_csv_rows_grouped_whole_with_header_names():
    rows = "\n".join(f"{i},ville{i},{'mot ' * 20}" for i in range(30))
    parsed = ingest.read("t.csv", ("id,ville,note\n" + rows).encode())
    assert len(parsed.blocks) > 1 and all(b.atomic for b in parsed.blocks)
    lines = [line for b in parsed.blocks for line in b.text.split("\n")]
    assert len(lines) == 30 and lines[0].startswith("id: 0; ville: ville0; note: mot")


def test_semicolon_csv_is_sniffed():
    parsed = ingest.read("t.csv", b"nom;ville\nAmina;Fes\n")
    assert texts(parsed) == "nom: Amina; ville: Fes"


def test_xlsx_rows_per_sheet(files):
    parsed = ingest.read("tarifs.xlsx", files.xlsx([["service", "prix"], ["passeport", 500], ["CIN", 75]]))
    assert parsed.blocks[0].heading == "Tarifs"
    assert texts(parsed) == "service: passeport; prix: 500\nservice: CIN; prix: 75"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", bytes(range(256)) * 4, "binary content"),
        ("blank.md", b"   \n\n  ", "no text found"),
        ("fake.pdf", b"hello, not a pdf", "not a PDF"),
        ("fake.docx", b"PK\x03\x04 truncated", "corrupt or truncated zip"),
        ("fake.xlsx", b"not a zip", "corrupt or truncated zip"),
    ],
)
def test_bad_files_get_one_clear_reason(name, data, reason):
    with pytest.raises(IngestError, match=reason):
        ingest.read(name, data)


def test_truncated_pdf(files):
    data = files.pdf(["Un texte assez long pour la page. " * 20])
    with pytest.raises(IngestError, match="PDF"):
        ingest.read("cut.pdf", data[: len(data) // 3])


def test_encrypted_pdf_is_refused_but_empty_password_opens(files):
    with pytest.raises(IngestError, match="encrypted PDF"):
        ingest.read("secret.pdf", files.pdf(["confidentiel"], password="s3cret"))
    parsed = ingest.read("open.pdf", files.pdf(["lisible quand meme"], password=""))
    assert "lisible" in texts(parsed)


def test_zip_bomb_docx_is_refused_before_inflating(files):
    with pytest.raises(IngestError, match="zip bomb"):
        ingest.read("bomb.docx", files.zip_bomb_docx())


def test_unsupported_extension():
    with pytest.raises(UnsupportedFormatError, match=r"unsupported file type '\.exe'"):
        ingest.read("setup.exe", b"MZ")
