from siyada.backends.textstream import StopStream


def test_passes_text_through_without_stops() -> None:
    s = StopStream([])
    assert s.feed(b"hello ") + s.feed(b"world") + s.flush() == "hello world"


def test_stop_string_across_tokens_is_cut() -> None:
    s = StopStream(["<end>"])
    out = s.feed(b"answer<e") + s.feed(b"nd> more")
    assert out == "answer" and s.stopped and s.flush() == ""


def test_partial_stop_is_held_then_released() -> None:
    s = StopStream(["###"])
    assert s.feed(b"a#") == "a"
    assert s.feed(b"b") == "#b"


def test_split_utf8_character_is_not_garbled() -> None:
    data = "سلام ⵜⴰⵎⴰⵣⵉⵖⵜ".encode()
    s = StopStream([])
    out = "".join(s.feed(data[i : i + 1]) for i in range(len(data))) + s.flush()
    assert out == "سلام ⵜⴰⵎⴰⵣⵉⵖⵜ"
