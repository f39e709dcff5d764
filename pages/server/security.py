"""Security headers on every HTTP answer of the dashboard (serve.py): CSP, framing, sniffing, referrer, permissions.

The Content-Security-Policy allows what Streamlit's front end and our charts need and nothing from elsewhere:
scripts from this server only (and blob: URLs it makes: how a v2 component loads its script), plus Streamlit's one inline script by its hash (computed from the installed
index.html, streamlit_internals hook 8); inline styles (Streamlit's emotion CSS and Plotly set styles inline);
images, fonts and workers from this server, data: and blob: URLs (Plotly's PNG export, Streamlit's workers);
connections to this server (the websocket is same-origin). Framing is refused both ways (CSP frame-ancestors and
X-Frame-Options), so the dashboard cannot be overlaid by another site (clickjacking).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pages.server import streamlit_internals as internals


def content_security_policy(script_hashes: tuple[str, ...]) -> str:
    """Return the Content-Security-Policy value allowing the inline scripts whose sha256 hashes are given."""
    inline = " ".join(f"'sha256-{h}'" for h in script_hashes)
    directives = {
        "default-src": "'self'",
        # blob:: Streamlit's custom components (v2, our charts) import their script as a blob: module
        "script-src": f"'self' blob: {inline}".strip(),
        "style-src": "'self' 'unsafe-inline'",  # Streamlit's CSS-in-JS and Plotly write style attributes
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "worker-src": "'self' blob:",
        "connect-src": "'self'",  # the websocket and Streamlit's fetches are same-origin (ws/wss match 'self')
        "media-src": "'self' data: blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(script_hashes: tuple[str, ...] | None = None) -> list[tuple[bytes, bytes]]:
    """Return the headers added to every answer (the CSP allows Streamlit's inline scripts unless told others)."""
    hashes = internals.index_inline_script_hashes() if script_hashes is None else script_hashes
    return [
        (b"content-security-policy", content_security_policy(hashes).encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                                b"interest-cohort=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]


class SecurityHeaders:
    """ASGI middleware: add the security headers to every HTTP response, replacing any of the same name."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        """Keep the headers (computed once: the installed front end does not change while the server runs)."""
        self.app = app
        self._headers = security_headers() if headers is None else headers
        self._names = {name for name, _ in self._headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() not in self._names]
                message = {**message, "headers": [*kept, *self._headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
