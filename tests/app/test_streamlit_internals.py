"""What pages/server/streamlit_internals.py assumes of Streamlit (and asyncio), checked on the installed versions.

One test or more per hook, numbered as in that module's docstring. After upgrading Streamlit run this file first: a
failure names the hook, the Streamlit version and what to do (README, "Upgrading Streamlit and Plotly"). These tests
reach into Streamlit's private modules on purpose; the dashboard's code does so only through streamlit_internals.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import importlib.util
import inspect
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit
import streamlit as st
from starlette.types import Message, Scope
from streamlit.testing.v1 import AppTest

import pages.widgets.common
from pages.server import serving
from pages.server import streamlit_internals as internals
from pages.server.warmup import THREAD_NAME, warm_up
from tests.fixtures.demo import DEMO_TODAY, ROOT

VERSION = streamlit.__version__
UNCHANGED_SET_NODELAY = asyncio.base_events._set_nodelay  # type: ignore[attr-defined]  # as asyncio has it
INDEX_HTML = internals.FRONT_END_FILES.parent / "index.html"
NAMED_BY_INDEX = re.compile(r'(?:src|href)="\./(static/[^"]+)"')  # the front-end files index.html names
HASHED = re.compile(r"^[\w.-]+\.[\w-]{8}\.(?:js|css|woff2)$")  # name.<8-character content hash>.ext


def broken(hook: int, what: str, todo: str) -> str:
    """Return a failure message naming the hook, the installed Streamlit and what to do."""
    return f"streamlit_internals hook {hook}, Streamlit {VERSION}: {what}.\nWhat to do: {todo}"


def streamlit_internal(module: str, name: str, hook: int) -> Any:
    """Return Streamlit's private `module.name`, or fail naming the hook that relies on it."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        pytest.fail(broken(hook, f"{module}.{name} is gone ({error})",
                           "find what Streamlit does instead, then adapt the hook and its docstring, or drop it "
                           "and re-measure with bench/browser.py"))


def in_thread(target: Callable[[], object], name: str) -> None:
    """Run `target` in a new thread named `name`, as the server runs its warm-up, and wait for it."""
    thread = threading.Thread(target=target, name=name)
    thread.start()
    thread.join(timeout=180)
    assert not thread.is_alive()


async def get(app: Callable[..., Any], path: str) -> tuple[int, dict[bytes, bytes], bytes]:
    """Return the status, headers and body an ASGI app answers to a GET of `path`."""
    scope: Scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "root_path": "",
                    "query_string": b"", "headers": [(b"host", b"localhost")], "scheme": "http",
                    "server": ("localhost", 80), "client": ("127.0.0.1", 1), "http_version": "1.1",
                    "asgi": {"version": "3.0"}}
    sent: list[Message] = []
    answered = asyncio.Event()
    requested = False

    async def receive() -> Message:  # the request, then a disconnect once answered (Starlette's files wait for it)
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            answered.set()

    await app(scope, receive, send)
    return (sent[0]["status"], dict(sent[0]["headers"]),
            b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))


# --- 1. TCP_NODELAY on accepted connections ------------------------------------------------------------------------

@pytest.fixture
def streamlits_listener() -> Callable[[], socket.socket]:
    """Return a maker of listening sockets made by Streamlit's own function, as `streamlit run serve.py` makes it."""
    module = "streamlit.web.server.starlette.starlette_server"
    runner = streamlit_internal(module, "UvicornRunner", 1)
    bind_server, bind = streamlit_internal(module, "_bind_server_socket", 1), streamlit_internal(module, "_bind_socket", 1)
    assert "_bind_server_socket(" in inspect.getsource(runner.run) and "_bind_socket(" in inspect.getsource(
        bind_server), broken(1, "st.App under `streamlit run` no longer binds its socket with _bind_socket",
                             "see how it binds now; if with IPPROTO_TCP, asyncio sets TCP_NODELAY: drop the hook")
    assert list(inspect.signature(bind).parameters) == ["address", "port", "backlog"], broken(
        1, f"_bind_socket{inspect.signature(bind)} changed", "call it as Streamlit now does in this fixture")
    return lambda: bind("127.0.0.1", 0, 8)


def _nodelay_of_a_connection(listener: socket.socket) -> int:
    """Return TCP_NODELAY of the socket asyncio accepts from `listener` (as uvicorn serves it); closes both."""
    seen: list[int] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:  # type: ignore[override]
            seen.append(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def connect_once() -> None:
        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection(*listener.getsockname())
            for _ in range(200):
                if seen:
                    break
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(connect_once())
    assert seen, "no connection was accepted"
    return seen[0]


def test_hook_1_streamlits_listening_socket_has_protocol_number_0(
        streamlits_listener: Callable[[], socket.socket]) -> None:
    with streamlits_listener() as listener:
        assert listener.proto != socket.IPPROTO_TCP, broken(
            1, "Streamlit now creates its listening socket with IPPROTO_TCP, so asyncio sets TCP_NODELAY by itself",
            "remove enable_tcp_nodelay (streamlit_internals, serve.py) and check bench/browser.py's figures")


def test_hook_1_accepted_connections_get_tcp_nodelay_with_the_hook_only(
        streamlits_listener: Callable[[], socket.socket], monkeypatch: pytest.MonkeyPatch) -> None:
    assert UNCHANGED_SET_NODELAY is not internals._set_nodelay, "a test enabled the hook for good: cannot compare"
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", UNCHANGED_SET_NODELAY)  # and put back after the test
    assert _nodelay_of_a_connection(streamlits_listener()) == 0, broken(
        1, "asyncio now sets TCP_NODELAY on Streamlit's connections by itself", "remove enable_tcp_nodelay")
    assert internals.enable_tcp_nodelay(), broken(
        1, "asyncio.base_events has no _set_nodelay any more (a Python upgrade)",
        "find where asyncio's transports set TCP_NODELAY now and patch that instead")
    assert _nodelay_of_a_connection(streamlits_listener()) != 0, broken(
        1, "asyncio's transports no longer call base_events._set_nodelay for an accepted connection",
        "find where they set TCP_NODELAY now and patch that instead")


def test_hook_1_the_server_runs_on_asyncios_event_loop() -> None:
    # uvicorn's loop="auto" (Streamlit sets none) picks uvloop when installed, whose transports never call asyncio's.
    assert importlib.util.find_spec("uvloop") is None, broken(
        1, "uvloop is installed, and uvicorn serves on it instead of asyncio's loop",
        "check TCP_NODELAY on a served connection under uvloop; if it is off, adapt enable_tcp_nodelay")


# --- 2 and 3. Streamlit's front-end files, and its page HTML ------------------------------------------------------

def _streamlits_static_files() -> Any:
    """Return the ASGI app Streamlit serves its front end and pages' HTML with (at the base url path)."""
    static_dir = streamlit_internal("streamlit.file_util", "get_static_dir", 2)()
    assert Path(static_dir).resolve() == internals.FRONT_END_FILES.parent, broken(
        2, f"Streamlit's static folder is {static_dir}, not {internals.FRONT_END_FILES.parent}",
        "point FRONT_END_FILES at the folder Streamlit serves as <base>/static/")
    handler = streamlit_internal("streamlit.web.server.starlette.starlette_static_routes",
                                 "create_streamlit_static_handler", 2)
    assert list(inspect.signature(handler).parameters) == ["directory", "base_url"], broken(
        2, f"create_streamlit_static_handler{inspect.signature(handler)} changed", "call it as Streamlit does here")
    return handler(static_dir, None)


def test_hook_2_index_html_names_hashed_front_end_files_the_middleware_answers() -> None:
    named = NAMED_BY_INDEX.findall(INDEX_HTML.read_text(encoding="utf-8"))
    assert any(re.fullmatch(r"static/js/index\.[\w-]{8}\.js", p) for p in named), broken(
        2, "index.html names no ./static/js/index.<hash>.js entry script", "see where the front end's files are now")
    assert any(p.startswith("static/css/") for p in named), broken(2, "index.html names no ./static/css/ file",
                                                                   "see where the front end's styles are now")
    memory = serving.FrontEndFromMemory(_streamlits_static_files(), prefix=internals.FRONT_END_URL_PATH)
    for path in named:
        assert (internals.FRONT_END_FILES.parent / path).is_file() and memory.serves("/" + path), broken(
            2, f"index.html names {path}, which is not in FRONT_END_FILES", "point FRONT_END_FILES at them")
        assert HASHED.match(path.rsplit("/", 1)[1]), broken(
            2, f"{path} has no content hash in its name: it may change without its name changing",
            "stop answering such files from memory (or with an immutable cache header)")


def test_hook_2_an_answer_from_memory_is_the_one_streamlit_gives() -> None:
    streamlits = _streamlits_static_files()
    memory = serving.FrontEndFromMemory(streamlits, prefix=internals.FRONT_END_URL_PATH)
    named = NAMED_BY_INDEX.findall(INDEX_HTML.read_text(encoding="utf-8"))
    entry = next(p for p in named if p.startswith("static/js/index."))
    for path in (entry, next(p for p in named if p.startswith("static/css/")),
                 next(p for p in named if p.startswith("static/media/"))):
        theirs, ours = asyncio.run(get(streamlits, "/" + path)), asyncio.run(get(memory, "/" + path))
        assert theirs[0] == 200 and theirs[1][b"cache-control"] == internals.FRONT_END_CACHE_CONTROL, broken(
            2, f"Streamlit answers /{path} with {theirs[0]} and Cache-Control {theirs[1].get(b'cache-control')!r}",
            "send what Streamlit sends (FRONT_END_CACHE_CONTROL), or stop answering these files from memory")
        assert ours == theirs, broken(
            2, f"our answer to /{path} differs from Streamlit's: {sorted(ours[1].items())} against "
            f"{sorted(theirs[1].items())}", "make FrontEndFromMemory send Streamlit's headers")


def test_hook_3_every_page_url_is_answered_with_streamlits_html_page() -> None:
    streamlits = _streamlits_static_files()
    for path in ("/", "/outlook", "/what-if", "/overview"):
        status, headers, body = asyncio.run(get(streamlits, path))
        assert status == 200 and headers[b"content-type"].startswith(b"text/html"), broken(
            3, f"Streamlit answers {path} with {status} {headers.get(b'content-type')!r}",
            "find which answer is the page's HTML now, and add the Link header to that one (serving.PreloadHeader)")
        assert body == INDEX_HTML.read_bytes()


ST_APP_PROBE = """
import json, sys
from pathlib import Path
import streamlit as st
from starlette.middleware import Middleware
from pages.server import serving

files = Path(sys.argv[1])
app = st.App("app.py", middleware=[Middleware(serving.FrontEndFromMemory, files=files),
                                   Middleware(serving.PreloadHeader, urls=["/probe.js"])])
starlette_app = app._build_starlette_app()  # what st.App serves, its runtime not started (none is needed here)
answers = {p: asyncio.run(get(starlette_app, p)) for p in ("/static/js/probe.abcd1234.js", "/outlook")}
print(json.dumps({p: [s, h.get(b"content-type", b"").decode(), h.get(b"link", b"").decode(), b.decode()]
                  for p, (s, h, b) in answers.items()}))
"""


def test_hooks_2_and_3_st_app_runs_our_middleware_before_streamlits_files(tmp_path: Path) -> None:
    # In a process of its own: building st.App's server creates Streamlit's process-wide runtime.
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "probe.abcd1234.js").write_text("probe()", encoding="utf-8")  # a file Streamlit lacks
    code = "from __future__ import annotations\nimport asyncio\n" + inspect.getsource(get) + ST_APP_PROBE
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, broken(2, f"st.App could not be built and asked as here:\n{run.stderr[-3000:]}",
                                       "see how st.App builds its server now and adapt ST_APP_PROBE")
    answers = json.loads(run.stdout.strip().splitlines()[-1])
    assert answers["/static/js/probe.abcd1234.js"][3] == "probe()", broken(
        2, f"st.App answered a front-end file without FrontEndFromMemory: {answers}",
        "make sure st.App's middleware still runs before its static files (serve.py)")
    status, content_type, link, body = answers["/outlook"]
    assert status == 200 and content_type.startswith("text/html") and body == INDEX_HTML.read_text(encoding="utf-8")
    assert link == "</probe.js>; rel=preload; as=script", broken(
        3, f"the page's HTML came back without the preload header: {answers['/outlook']}",
        "make sure st.App's middleware still sees the HTML response (serve.py)")


# --- 4. Caches filled outside any script run ---------------------------------------------------------------------

def test_hook_4_a_warm_up_from_the_servers_thread_fills_the_caches_the_opening_page_reads(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASHPILOT_DB", str(demo_db))
    st.cache_resource.clear()
    st.cache_data.clear()
    done: list[bool] = []
    in_thread(lambda: done.append(warm_up(DEMO_TODAY)), THREAD_NAME)  # as serve.py's lifespan runs it
    assert done == [True]

    def no_forecasting(*args: object, **kwargs: object) -> None:
        raise AssertionError("the forecast was fetched again instead of read from the warmed cache")

    monkeypatch.setattr(pages.widgets.common, "cached_prepare", no_forecasting)  # a new fit now fails the page
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["as_of"] = DEMO_TODAY
    at.run()
    assert not at.exception, broken(
        4, f"the opening page did not find what the warm-up thread cached: {at.exception}",
        "see whether st.cache_data/st.cache_resource are still process-wide when filled outside a script run")
    assert any(m.label == "Lowest point" for m in at.metric)


# --- 5. A quiet warm-up --------------------------------------------------------------------------------------------

class _Kept(logging.Handler):
    """Keep the messages of the records it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_hook_5_missing_context_warnings_come_from_the_logger_the_warm_up_quiets() -> None:
    get_ctx = streamlit_internal(internals.SCRIPT_RUN_CONTEXT_LOGGER, "get_script_run_ctx", 5)
    logger = logging.getLogger(internals.SCRIPT_RUN_CONTEXT_LOGGER)
    kept = _Kept()
    logger.addHandler(kept)
    try:
        in_thread(get_ctx, "someone-else")
        in_thread(get_ctx, THREAD_NAME)
    finally:
        logger.removeHandler(kept)
    assert any("someone-else" in m for m in kept.messages), broken(
        5, f"a thread without a script run is no longer warned about through {internals.SCRIPT_RUN_CONTEXT_LOGGER}",
        "find the warning's logger now and set SCRIPT_RUN_CONTEXT_LOGGER to it (or drop the hook if it is gone)")
    assert not any(THREAD_NAME in m for m in kept.messages), kept.messages  # warmup.py's filter (set at import)


# --- 6. Streamlit's first-element check, paid by the warm-up -----------------------------------------------------

def test_hook_6_the_first_element_of_a_process_reads_the_stack_once_and_the_warm_up_pays_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    delta_generator = importlib.import_module("streamlit.delta_generator")
    streamlit_internal("streamlit.delta_generator", "_maybe_print_use_warning", 6)
    streamlit_internal("streamlit.delta_generator", "_use_warning_has_been_displayed", 6)
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)  # as in a new process
    stacks: list[int] = []
    whole_stack = inspect.stack

    def counted_stack(*args: Any, **kwargs: Any) -> list[inspect.FrameInfo]:
        stacks.append(1)
        return whole_stack(*args, **kwargs)

    monkeypatch.setattr(inspect, "stack", counted_stack)
    in_thread(internals.pay_first_element_check, THREAD_NAME)
    assert stacks, broken(6, "pay_first_element_check's element did not read the calling stack (is the REPL check "
                             "gone?)", "if it is, remove pay_first_element_check and its call in warmup.py")
    assert delta_generator._use_warning_has_been_displayed, broken(
        6, "the check no longer records that it was done", "see how often it runs now")
    first = len(stacks)
    in_thread(internals.pay_first_element_check, "a-page-run")
    assert len(stacks) == first, broken(6, "the check now runs on every element, not once per process",
                                    "the warm-up cannot pay it for the pages: remove the hook, re-measure")


# --- 7. Streamlit's health check ----------------------------------------------------------------------------------

def test_hook_7_the_health_check_is_where_the_browser_opener_asks() -> None:
    route = streamlit_internal("streamlit.web.server.starlette.starlette_routes", "ROUTE_HEALTH", 7)
    assert "/" + route == internals.HEALTH_PATH, broken(
        7, f"the health check moved to /{route}", "set HEALTH_PATH to it")


# --- 8. The inline scripts of Streamlit's page --------------------------------------------------------------------

def test_hook_8_the_policy_hashes_every_inline_script_of_streamlits_page() -> None:
    page = INDEX_HTML.read_text(encoding="utf-8")
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # every <script> element without a src
    hashes = internals.index_inline_script_hashes()
    assert len(hashes) == len(inline) >= 1, broken(
        8, f"index.html has inline scripts {inline}, the policy hashes {len(hashes)}",
        "make INLINE_SCRIPT find each inline script of index.html (pages/server/streamlit_internals.py)")


# --- the boundary: no other module of the dashboard touches Streamlit's internals ----------------------------------

PUBLIC_STREAMLIT = {"streamlit", "streamlit.column_config"}  # the modules st's API reference documents


def _dashboard_files() -> list[Path]:
    """Return the dashboard's Python files (pages/, app.py, serve.py)."""
    return [*sorted((ROOT / "pages").rglob("*.py")), ROOT / "app.py", ROOT / "serve.py"]


def _internals_used(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Yield (line, text) for each private Streamlit module, name or path a module's syntax tree uses."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, f"import {a.name}") for a in node.names
                        if a.name.startswith("streamlit.") and a.name not in PUBLIC_STREAMLIT)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
            imported = [f"streamlit.{a.name}" for a in node.names] if node.module == "streamlit" else [node.module]
            if any(m not in PUBLIC_STREAMLIT for m in imported):  # `from streamlit import config`, `.runtime…`
                yield node.lineno, f"from {node.module} import {', '.join(a.name for a in node.names)}"
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in {"st", "streamlit"}:
                yield node.lineno, ast.unparse(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(
                r"streamlit\.(runtime|web|elements|proto)|/_stcore/|static/static", node.value):
            yield node.lineno, repr(node.value[:60])


def test_only_streamlit_internals_touches_streamlits_internals() -> None:
    found = [f"{file.relative_to(ROOT)}:{line} {text}" for file in _dashboard_files()
             if file != Path(internals.__file__)
             for line, text in _internals_used(ast.parse(file.read_text(encoding="utf-8")))]
    assert found == [], ("Streamlit's internals used outside pages/server/streamlit_internals.py: move each use "
                         "there, with its hook in the docstring and its check in this file:\n" + "\n".join(found))
    # and the check sees them where they are
    assert list(_internals_used(ast.parse(Path(internals.__file__).read_text(encoding="utf-8"))))
