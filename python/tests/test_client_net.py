"""The blocking client (``privnum.Client``) against the emulator
(``privnum.testing``) over real loopback HTTP: binds, queries, refusals,
pushes received by a local webhook, errors of the transport, and the GIL
released while a call waits."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import privnum
import privnum.testing

X = "+8617000000010"
A, B = "+8613800000001", "+8613900000002"


@pytest.fixture
def emu() -> Iterator[privnum.testing.Emulator]:
    with privnum.testing.emulator() as e:
        yield e


class Webhook:
    """A push receiver on 127.0.0.1 (http.server on a thread)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with hook.lock:
                    hook.received.append((dict(self.headers.items()), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    yield hook
    hook.close()


def test_bind_query_unbind(emu: privnum.testing.Emulator) -> None:
    client = emu.client()
    assert client.base_url == emu.base_url and client.app_key == emu.app_key
    op = privnum.Operation(
        "axb.bind", caller_num="138 0000 0001", callee_num="13900000002", relation_num=X
    )
    bound = client.call(op)
    assert bound["relation_num"] == X and bound["subscription_id"]
    assert [b["id"] for b in emu.bindings()] == [bound["subscription_id"]]

    found = client.call_op("axb.query", relation_num=X)
    assert [(r["caller_num"], r["callee_num"]) for r in found["bindings"]] == [(A, B)]
    assert client.call_op("axb.unbind", {"subscriptionId": bound["subscription_id"]}) == {}
    assert emu.bindings() == []


def test_rule_refusal_has_platform_code_and_status(emu: privnum.testing.Emulator) -> None:
    client = emu.client()
    client.call_op("axb.bind", caller_num=A, callee_num=B, relation_num=X)
    with pytest.raises(privnum.PlatformConflictError) as info:
        client.call_op("axb.bind", caller_num="13700000003", callee_num=B, relation_num=X)
    e = info.value
    assert (e.platform_code, e.http_status) == ("1012010", 400)
    assert isinstance(e, privnum.PlatformError)
    # Validation happens before anything is sent.
    with pytest.raises(privnum.InvalidArgumentError) as bad:
        client.call_op("axb.bind", caller_num=A)
    assert bad.value.field == "calleeNum"


def test_simulated_call_pushes_reach_a_webhook(webhook: Webhook) -> None:
    app = dict(privnum.testing.DEMO_APP, call_event_url=webhook.url)
    with privnum.testing.emulator(apps=[app], cdr_batch_window_ms=0) as emu:
        emu.client().call_op("axb.bind", caller_num=A, callee_num=B, relation_num=X)
        report = emu.simulate_call(privnum.parse_number(A), X, talk_secs=12)
        assert report["route"] == {"operation": "connect", "callee": B, "display": X}
        assert report["events"] == ["callin", "callout", "alerting", "answer", "disconnect"]
        assert emu.wait_idle(10.0)
        pushes = emu.pushes()
        assert {p["status"] for p in pushes} == {"delivered"}
        assert emu.deliveries()[0]["outcome"] == "delivered"
        with webhook.lock:
            received = list(webhook.received)
    assert len(received) == len(pushes)
    verifier = privnum.Verifier(emu.app_key, emu.app_secret)
    kinds = []
    for headers, body in received:
        verifier.verify(headers)  # signed with the application's key
        push = privnum.parse_push(body)
        kinds.append(push.kind)
        if isinstance(push, privnum.CdrBatch):
            assert push[0].talk_seconds == 12
    assert kinds.count("call") == 5 and kinds.count("cdrs") == 1


def test_simulated_call_errors(emu: privnum.testing.Emulator) -> None:
    report = emu.simulate_call(A, X)  # no binding: closed
    assert report["route"]["operation"] == "close"
    with pytest.raises(privnum.InvalidArgumentError) as info:
        emu.simulate_call(A, "+8617000000099")
    assert info.value.field == "dialled"
    with pytest.raises(privnum.InvalidCommandError):
        emu.control("GET", "nothing")


def test_configuration_errors_name_the_setting() -> None:
    bad = dict(privnum.testing.DEMO_APP, mode="abx")
    with pytest.raises(privnum.InvalidArgumentError) as info:
        with privnum.testing.emulator(apps=[bad]):
            pass
    assert info.value.field == "mode"
    with pytest.raises(privnum.InvalidArgumentError):
        with privnum.testing.emulator(colour="red"):
            pass


def test_repr_hides_secrets_and_stop_is_idempotent() -> None:
    with privnum.testing.emulator() as emu:
        client = emu.client()
        assert emu.app_secret not in repr(client) + repr(emu)
        assert repr(client).startswith("Client('http://127.0.0.1:")
        assert emu.running
    assert not emu.running
    emu.stop()
    with pytest.raises(privnum.InvalidArgumentError):
        emu.pushes()


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port: int = s.getsockname()[1]
    s.close()
    return port


def test_not_sent_is_a_connection_error() -> None:
    client = privnum.Client(
        f"http://127.0.0.1:{_free_port()}",
        "k",
        "s",
        https_only=False,
        max_attempts=2,
        initial_backoff=0.01,
    )
    with pytest.raises(privnum.TransportNotSentError) as info:
        client.call_op("axb.query", relation_num=X)
    assert isinstance(info.value, ConnectionError)
    assert "2 attempts" in str(info.value)
    # https only by default.
    strict = privnum.Client("http://127.0.0.1:1", "k", "s")
    with pytest.raises(privnum.InvalidArgumentError):
        strict.call_op("axb.query", relation_num=X)
    with pytest.raises(ValueError):
        privnum.Client("https://h", "k", "s", read_timeout=-1.0)


def test_the_gil_is_released_during_a_slow_call() -> None:
    # A server that accepts and never answers: the call waits for its read
    # timeout while another Python thread keeps counting.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    client = privnum.Client(
        f"http://127.0.0.1:{port}", "k", "s", https_only=False, read_timeout=1.0, max_attempts=1
    )
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    start = time.monotonic()
    try:
        with pytest.raises(privnum.TransportNoResponseError):
            client.call_op("axb.query", relation_num=X)
    finally:
        done.set()
        counter.join()
        server.close()
    assert time.monotonic() - start >= 0.9
    assert ticks > 100, ticks


def test_one_client_many_threads(emu: privnum.testing.Emulator) -> None:
    client = emu.client()
    client.call_op("axb.bind", caller_num=A, callee_num=B, relation_num=X)
    results: list[int] = []

    def work() -> None:
        for _ in range(5):
            results.append(len(client.call_op("axb.query", relation_num=X)["bindings"]))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [1] * 20


def test_control_passthrough(emu: privnum.testing.Emulator) -> None:
    apps = emu.control("GET", "apps")
    assert apps[0]["app_key"] == emu.app_key
    assert emu.app_secret not in json.dumps(apps)
    emu.flush_cdrs()
    assert emu.numbers[0] == X
