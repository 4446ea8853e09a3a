"""python/examples/async_client.py under asyncio with httpx, against a small
AXB platform on loopback that verifies every X-AKSK header (and so refuses a
reused nonce), and injects faults: a 5xx on the first unbind and query
attempts, throttling on the first binds, and a bind whose answer is lost
after it was committed."""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import privnum

httpx = pytest.importorskip("httpx")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "async_client.py"
KEY, SECRET = "async-example-key", "async-example-secret"
PATH = "/rest/caas/relationnumber/partners/v1.0"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("async_client", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Platform:
    """The AXB rules this test needs, with switchable faults."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.verifier = privnum.Verifier(KEY, SECRET)
        self.bindings: dict[str, dict[str, str]] = {}
        self.pool = [f"+86170000{n:05d}" for n in range(100)]
        self.ids = itertools.count(1)
        self.fail_first: set[str] = set()  # methods whose next attempt gets a 500
        self.throttle_binds = 0  # how many binds to throttle
        self.drop_bind_answers = 0  # how many committed binds lose their answer
        self.requests: list[str] = []

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        try:
            self.verifier.verify(headers)
        except privnum.AuthError as e:
            return 401, {"resultcode": "1010010", "resultdesc": e.kind}
        url = urllib.parse.urlsplit(target)
        if url.path != PATH:
            return 404, {"resultcode": "1010003"}
        query = dict(urllib.parse.parse_qsl(url.query))
        with self.lock:
            self.requests.append(method)
            if method in self.fail_first:
                self.fail_first.discard(method)
                return 500, {"resultcode": "1010001", "resultdesc": "System error."}
            if method == "POST":
                if self.throttle_binds > 0:
                    self.throttle_binds -= 1
                    return 200, {"resultcode": "1010010", "resultdesc": "Flow control."}
                req = json.loads(body)
                x = self.pool.pop()
                sid = f"sub-{next(self.ids)}"
                self.bindings[sid] = {"x": x, "a": req["callerNum"], "b": req["calleeNum"]}
                if self.drop_bind_answers > 0:
                    self.drop_bind_answers -= 1
                    return -1, None  # committed, answer lost
                return 200, {"resultcode": "0", "subscriptionId": sid, "relationNum": x}
            if method == "GET":
                rows = [
                    {"subscriptionId": sid, "relationNum": b["x"], "callerNum": b["a"], "calleeNum": b["b"]}
                    for sid, b in self.bindings.items()
                    if b["x"] == query["relationNum"] and b["a"] == query.get("callerNum", b["a"])
                ]
                return 200, {"resultcode": "0", "totalCount": len(rows), "relationNumList": rows}
            if method == "DELETE":
                b = self.bindings.pop(query["subscriptionId"], None)
                if b is None:
                    return 200, {"resultcode": "1016001", "resultdesc": "Not found."}
                self.pool.append(b["x"])
                return 200, {"resultcode": "0"}
        return 405, {"resultcode": "1010002"}


@pytest.fixture
def platform() -> Iterator[tuple[Platform, str]]:
    state = Platform()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            status, answer = state.handle(self.command, self.path, dict(self.headers), body)
            if status < 0:
                self.close_connection = True
                return  # no answer at all
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        # Twenty clients connect at once: the default backlog of 5 would
        # make the kernel reset some of those connections.
        request_queue_size = 128

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_concurrent_round_trips_with_faults(platform: tuple[Platform, str]) -> None:
    state, base = platform
    example = load_example()
    signer = privnum.Signer(KEY, SECRET)
    state.fail_first = {"GET", "DELETE"}
    state.throttle_binds = 3

    async def run() -> list[dict[str, Any]]:
        async with httpx.AsyncClient(trust_env=False) as http:
            return await asyncio.gather(
                *(
                    example.bind_talk_unbind(
                        http, base, signer, f"+861380000{i:04d}", f"+861390000{i:04d}"
                    )
                    for i in range(20)
                )
            )

    # Shorter pauses for the test: the example's own logic, faster.
    original = example.call

    async def quick(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return await original(*args, base_delay=0.01, **kwargs)

    example.call = quick
    bound = asyncio.run(run())
    assert len({b["subscription_id"] for b in bound}) == 20
    assert state.bindings == {}  # every binding was removed, none twice, none left
    assert len(state.pool) == 100
    # 20 binds + 3 throttled, 20 queries + 1 failed, 20 unbinds + 1 failed.
    assert state.requests.count("POST") == 23
    assert state.requests.count("GET") == 21
    assert state.requests.count("DELETE") == 21


def test_a_lost_bind_answer_is_not_resent(platform: tuple[Platform, str]) -> None:
    state, base = platform
    example = load_example()
    signer = privnum.Signer(KEY, SECRET)
    state.drop_bind_answers = 1
    op = privnum.Operation("axb.bind", caller_num="13800000001", callee_num="13900000002")

    async def run() -> None:
        async with httpx.AsyncClient(trust_env=False) as http:
            await example.call(http, base, signer, op, base_delay=0.01)

    with pytest.raises(example.OutcomeUnknown):
        asyncio.run(run())
    # Sent once: the platform bound it, and nothing bound it a second time.
    assert state.requests.count("POST") == 1
    assert len(state.bindings) == 1


def test_refusals_are_typed(platform: tuple[Platform, str]) -> None:
    _, base = platform
    example = load_example()
    wrong = privnum.Signer(KEY, "not-the-secret")
    op = privnum.Operation("axb.unbind", subscription_id="sub-404")

    async def run(signer: privnum.Signer) -> None:
        async with httpx.AsyncClient(trust_env=False) as http:
            await example.call(http, base, signer, op, base_delay=0.01)

    with pytest.raises(privnum.PlatformAuthError) as info:
        asyncio.run(run(wrong))
    assert (info.value.platform_code, info.value.http_status) == ("1010010", 401)
    with pytest.raises(privnum.PlatformNotFoundError) as nf:
        asyncio.run(run(privnum.Signer(KEY, SECRET)))
    assert nf.value.platform_code == "1016001"
