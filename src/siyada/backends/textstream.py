"""Incremental detokenisation with stop strings (pure, no llama.cpp).

Token bytes may split a UTF-8 character, and a stop string may span several tokens; text is
held back only while it could still be the start of a stop string, so streaming stays
token-by-token otherwise.
"""

from __future__ import annotations

import codecs


class StopStream:
    def __init__(self, stops: list[str]) -> None:
        self.stops = [s for s in stops if s]
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._held = ""
        self.stopped = False

    def feed(self, data: bytes) -> str:
        """Add token bytes; return the text that is now safe to emit."""
        if self.stopped:
            return ""
        text = self._held + self._decoder.decode(data)
        for stop in self.stops:
            idx = text.find(stop)
            if idx != -1:
                self.stopped = True
                self._held = ""
                return text[:idx]
        keep = self._partial_stop_len(text)
        self._held = text[len(text) - keep :] if keep else ""
        return text[: len(text) - keep] if keep else text

    def flush(self) -> str:
        if self.stopped:
            return ""
        text = self._held + self._decoder.decode(b"", final=True)
        self._held = ""
        return text

    def _partial_stop_len(self, text: str) -> int:
        best = 0
        for stop in self.stops:
            for n in range(min(len(stop) - 1, len(text)), 0, -1):
                if text.endswith(stop[:n]):
                    best = max(best, n)
                    break
        return best
