"""http_get: read an internal URL, only if it falls under the agent's allow-list.

The allow-list is compared on parsed parts — scheme, host and port exactly, path on segment
boundaries — so ``http://intranet.local.evil.com`` or ``/api-admin`` never pass as ``/api``.
Redirects are not followed (a redirect could leave the list); bodies are cut at ``max_bytes``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from siyada.agents.tools.base import ToolContext, ToolError, ToolResult, require

DEFAULT_MAX_BYTES = 64 * 1024


def _parts(url: str) -> tuple[str, str, int, str]:
    u = urlsplit(url)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise ToolError(f"not an http(s) URL: {url!r}")
    try:
        port = u.port or (443 if u.scheme == "https" else 80)
    except ValueError:
        raise ToolError(f"bad port in URL: {url!r}") from None
    return u.scheme, u.hostname.lower(), port, u.path or "/"


def allowed(url: str, allow: list[str]) -> bool:
    scheme, host, port, path = _parts(url)
    if ".." in path.split("/") or "@" in urlsplit(url).netloc:
        return False
    for entry in allow:
        a_scheme, a_host, a_port, a_path = _parts(entry)
        base = a_path.rstrip("/")
        same_origin = (scheme, host, port) == (a_scheme, a_host, a_port)
        if same_origin and (not base or path == base or path.startswith(base + "/")):
            return True
    return False


class HttpGet:
    name = "http_get"

    def __init__(self, config: dict[str, Any], context: ToolContext) -> None:
        allow = config.get("allow") or []
        if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
            raise ToolError("http_get: config 'allow' must be a list of URL prefixes")
        for entry in allow:
            _parts(entry)
        self.allow: list[str] = allow
        self.timeout_s = float(config.get("timeout_s", 10))
        self.max_bytes = int(config.get("max_bytes", DEFAULT_MAX_BYTES))
        self.description = "HTTP GET an internal URL and return its body. Allowed prefixes: " + (
            ", ".join(allow) or "none"
        )
        self.parameters = {
            "type": "object",
            "properties": {"url": {"type": "string", "description": "Full URL under an allowed prefix."}},
            "required": ["url"],
        }

    def run(self, arguments: dict[str, Any]) -> ToolResult:
        url = require(arguments, "url")
        if not allowed(url, self.allow):
            raise ToolError(f"URL not in the allow-list: {url}")
        try:
            with (
                httpx.Client(timeout=self.timeout_s, follow_redirects=False, trust_env=False) as client,
                client.stream("GET", url) as resp,
            ):
                body = b""
                for part in resp.iter_bytes():
                    body += part
                    if len(body) > self.max_bytes:
                        body = body[: self.max_bytes]
                        break
        except httpx.HTTPError as exc:
            raise ToolError(f"GET {url} failed: {exc.__class__.__name__}") from None
        text = body.decode(resp.encoding or "utf-8", errors="replace")
        if resp.is_redirect:
            return ToolResult(content=f"HTTP {resp.status_code}: redirect not followed")
        return ToolResult(content=f"HTTP {resp.status_code}\n{text}")
