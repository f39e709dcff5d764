"""Security headers on every answer (pages/server/security.py): CSP, no framing, nosniff, referrer, permissions."""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope, Send

from pages.server import security


class _Streamlit:
    """The app behind the middleware: answers with its own headers, one of them a security header to replace."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html"), (b"X-Frame-Options", b"SAMEORIGIN")]})
        await send({"type": "http.response.body", "body": b"<html></html>"})


def _answer(path: str) -> list[Message]:
    """Return the messages the middleware sends for a GET of `path`."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "GET", "path": path, "headers": []}
    asyncio.run(security.SecurityHeaders(_Streamlit(), headers=security.security_headers(("abc=",)))(
        scope, receive, send))
    return sent


def test_every_answer_carries_the_security_headers_once() -> None:
    for path in ("/", "/static/js/index.js", "/_stcore/health", "/cashpilot-charts/plotly-basic.min.js"):
        start, body = _answer(path)
        names = [name.lower() for name, _ in start["headers"]]
        headers = {name.lower(): value for name, value in start["headers"]}
        assert headers[b"x-frame-options"] == b"DENY" and names.count(b"x-frame-options") == 1  # Streamlit's replaced
        assert headers[b"x-content-type-options"] == b"nosniff"
        assert headers[b"referrer-policy"] == b"strict-origin-when-cross-origin"
        assert b"camera=()" in headers[b"permissions-policy"]
        assert headers[b"content-type"] == b"text/html" and body["body"] == b"<html></html>"  # the rest untouched


def test_the_policy_allows_this_server_and_the_named_inline_scripts_only() -> None:
    policy = dict(d.split(" ", 1) for d in security.content_security_policy(("abc=", "def=")).split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self' blob: 'sha256-abc=' 'sha256-def='"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert policy["connect-src"] == "'self'"
    assert "http" not in security.content_security_policy(())  # no other host is trusted


def test_a_websocket_passes_through_untouched() -> None:
    seen: list[str] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])
        await send({"type": "websocket.accept"})

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "websocket.connect"}

    asyncio.run(security.SecurityHeaders(inner, headers=[])({"type": "websocket", "path": "/_stcore/stream"},
                                                            receive, send))
    assert seen == ["websocket"] and sent == [{"type": "websocket.accept"}]
