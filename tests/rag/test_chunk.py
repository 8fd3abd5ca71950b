from siyada.rag.chunk import ChunkConfig, chunk_blocks
from siyada.rag.types import Block


def test_paragraphs_of_one_section_are_packed_and_sections_never_mixed():
    blocks = [Block("a b c", heading="H1"), Block("d e", heading="H1"), Block("f g", heading="H2")]
    out = chunk_blocks(blocks, ChunkConfig(max_words=10, overlap=2))
    assert [(b.heading, b.text) for b in out] == [("H1", "a b c\n\nd e"), ("H2", "f g")]


def test_packing_stops_at_the_word_budget():
    blocks = [Block("w " * 6), Block("x " * 6)]
    out = chunk_blocks(blocks, ChunkConfig(max_words=10, overlap=2))
    assert len(out) == 2


def test_long_paragraph_is_windowed_with_overlap():
    words = [f"w{i}" for i in range(25)]
    out = chunk_blocks([Block(" ".join(words), page=3)], ChunkConfig(max_words=10, overlap=3))
    windows = [b.text.split() for b in out]
    assert windows[0] == words[0:10] and windows[1] == words[7:17] and windows[-1][-1] == "w24"
    assert all(len(w) <= 10 for w in windows) and all(b.page == 3 for b in out)


def test_atomic_row_groups_stay_whole():
    blocks = [Block("intro"), Block("r1\nr2", atomic=True), Block("r3", atomic=True)]
    out = chunk_blocks(blocks, ChunkConfig(max_words=100))
    assert [b.text for b in out] == ["intro", "r1\nr2", "r3"]
