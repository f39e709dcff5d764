"""What serve.py adds to Streamlit's server (pages/server/serving.py): front-end files from memory, the preload header.

What they assume of Streamlit, and the TCP_NODELAY hook, are checked in test_streamlit_internals.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from starlette.types import Message, Receive, Scope, Send

from pages.server import serving


async def _call(app: serving.FrontEndFromMemory | serving.PreloadHeader, path: str, method: str = "GET",
                headers: list[tuple[bytes, bytes]] | None = None) -> list[Message]:
    """Return the messages an ASGI app sends for one HTTP request."""
    scope: Scope = {"type": "http", "method": method, "path": path, "headers": headers or []}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


class _Inner:
    """The app behind a middleware: answers every request with `content_type` and records the paths it saw."""

    def __init__(self, content_type: bytes = b"text/plain") -> None:
        self.paths: list[str] = []
        self.content_type = content_type

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", self.content_type)]})
        await send({"type": "http.response.body", "body": b"from streamlit"})


def _headers(messages: list[Message]) -> dict[bytes, bytes]:
    """Return the response's headers."""
    return dict(messages[0]["headers"])


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder laid out like Streamlit's front-end files."""
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "index.abc123.js").write_text("console.log('streamlit')", encoding="utf-8")
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "index.def456.css").write_text("body{margin:0}", encoding="utf-8")
    return tmp_path


def test_a_front_end_file_is_read_once_and_then_answered_from_memory(files: Path) -> None:
    inner = _Inner()
    app = serving.FrontEndFromMemory(inner, files=files, prefix="/static/")
    assert app.serves("/static/js/index.abc123.js") and not app.serves("/static/js/missing.js")
    first = asyncio.run(_call(app, "/static/js/index.abc123.js"))
    (files / "js" / "index.abc123.js").unlink()  # gone from disk: the second answer can only come from memory
    second = asyncio.run(_call(app, "/static/js/index.abc123.js"))
    for answer in (first, second):
        assert answer[0]["status"] == 200 and answer[1]["body"] == b"console.log('streamlit')"
        headers = _headers(answer)
        assert b"javascript" in headers[b"content-type"]
        assert headers[b"content-length"] == b"24"
        assert headers[b"cache-control"] == b"public, immutable, max-age=31536000"  # as Streamlit sends them
        assert headers[b"etag"]
    css = asyncio.run(_call(app, "/static/css/index.def456.css"))
    assert _headers(css)[b"content-type"].startswith(b"text/css")
    assert inner.paths == []


def test_anything_else_goes_to_streamlit(files: Path) -> None:
    inner = _Inner()
    app = serving.FrontEndFromMemory(inner, files=files, prefix="/static/")
    asyncio.run(_call(app, "/static/js/missing.js"))                    # not one of the files
    asyncio.run(_call(app, "/static/../js/index.abc123.js"))            # only the exact indexed paths
    asyncio.run(_call(app, "/_stcore/health"))
    asyncio.run(_call(app, "/static/js/index.abc123.js", method="HEAD"))
    asyncio.run(_call(app, "/static/js/index.abc123.js", headers=[(b"range", b"bytes=0-3")]))
    asyncio.run(_call(app, "/static/js/index.abc123.js", headers=[(b"if-none-match", b'"x"')]))
    assert inner.paths == ["/static/js/missing.js", "/static/../js/index.abc123.js", "/_stcore/health",
                           *["/static/js/index.abc123.js"] * 3]


def test_the_front_end_files_follow_streamlits_base_url_path(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving.st, "get_option", lambda name: "/dash/" if name == "server.baseUrlPath" else None)
    inner = _Inner()
    app = serving.FrontEndFromMemory(inner, files=files)
    assert asyncio.run(_call(app, "/dash/static/js/index.abc123.js"))[1]["body"] == b"console.log('streamlit')"
    asyncio.run(_call(app, "/static/js/index.abc123.js"))
    assert inner.paths == ["/static/js/index.abc123.js"]


def test_html_answers_name_the_files_to_preload() -> None:
    urls = ["/cashpilot-charts/plotly-basic.min.js", "/cashpilot-charts/plotly-locale-fr.js"]
    html = asyncio.run(_call(serving.PreloadHeader(_Inner(b"text/html; charset=utf-8"), urls=urls), "/receivables"))
    assert _headers(html)[b"link"] == (b"</cashpilot-charts/plotly-basic.min.js>; rel=preload; as=script, "
                                       b"</cashpilot-charts/plotly-locale-fr.js>; rel=preload; as=script")
    assert html[1]["body"] == b"from streamlit"
    script = asyncio.run(_call(serving.PreloadHeader(_Inner(b"application/javascript"), urls=urls), "/static/a.js"))
    assert b"link" not in _headers(script)
    nothing = asyncio.run(_call(serving.PreloadHeader(_Inner(b"text/html"), urls=[]), "/"))
    assert b"link" not in _headers(nothing)
