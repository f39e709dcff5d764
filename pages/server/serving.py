"""What serve.py adds to Streamlit's server so a first visit gets the dashboard sooner (bench/RESULTS.md, "Browser").

Three measures, each measured on its own; what each assumes of Streamlit is in pages/server/streamlit_internals.py
(hooks 1-3), with the figures:
- TCP_NODELAY on every connection (`streamlit_internals.enable_tcp_nodelay`, called by serve.py).
- Streamlit's front-end files (hashed names, never changed) answered from memory, with the headers Streamlit sends,
  before the request goes through Streamlit's middleware and file handler (several thread hops a file).
- The page's HTML names the Plotly bundle the charts need (a `Link: rel=preload` header), so the browser downloads it
  while Streamlit's front end starts instead of when the first chart mounts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import anyio.to_thread
import streamlit as st
from starlette.responses import FileResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pages.server import streamlit_internals as internals

PASS_THROUGH_HEADERS = frozenset({b"range", b"if-none-match", b"if-modified-since"})  # Streamlit answers those


def under_base_url(path: str) -> str:
    """Return the url path `path` (starting with '/') under Streamlit's server.baseUrlPath, when one is set."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return (f"/{base}" if base else "") + path


class FrontEndFromMemory:
    """ASGI middleware: answer a GET of one of Streamlit's front-end files from memory, read once per process."""

    def __init__(self, app: ASGIApp, files: Path = internals.FRONT_END_FILES, prefix: str | None = None) -> None:
        """Index the files under `files` by url path (only those: nothing else can be asked for)."""
        self.app = app
        url_prefix = under_base_url(internals.FRONT_END_URL_PATH) if prefix is None else prefix
        self._paths = {url_prefix + p.relative_to(files).as_posix(): p for p in files.rglob("*") if p.is_file()}
        self._answers: dict[str, tuple[list[tuple[bytes, bytes]], bytes]] = {}  # url path -> (headers, body)

    def serves(self, path: str) -> bool:
        """Return whether a GET of the url path `path` can be answered from memory."""
        return path in self._paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer from memory, or hand the request to Streamlit (another path, method, range or revalidation)."""
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope["method"] != "GET" or path not in self._paths
                or any(name in PASS_THROUGH_HEADERS for name, _ in scope["headers"])):
            await self.app(scope, receive, send)
            return
        headers, body = self._answers.get(path) or await self._read(path)
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _read(self, path: str) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """Read a file once, with the headers Starlette's file response gives it and Streamlit's cache header."""
        file = self._paths[path]
        body = await anyio.to_thread.run_sync(file.read_bytes)
        headers = FileResponse(file, stat_result=os.stat(file)).raw_headers
        headers += [(b"cache-control", internals.FRONT_END_CACHE_CONTROL)]
        self._answers[path] = (headers, body)
        return headers, body


class PreloadHeader:
    """ASGI middleware: add `Link: <url>; rel=preload; as=script` for `urls` to every HTML response."""

    def __init__(self, app: ASGIApp, urls: Iterable[str]) -> None:
        """Keep the header value (nothing is added when `urls` is empty)."""
        self.app = app
        self._link = ", ".join(f"<{url}>; rel=preload; as=script" for url in urls).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the header to the response's start if it is HTML."""
        if scope["type"] != "http" or not self._link:
            await self.app(scope, receive, send)
            return

        async def send_with_link(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if any(name == b"content-type" and value.startswith(b"text/html") for name, value in headers):
                    message = {**message, "headers": [*headers, (b"link", self._link)]}
            await send(message)

        await self.app(scope, receive, send_with_link)
