"""python/examples/webhook_flask.py against a real HTTP server on loopback:
signed pushes posted with urllib, Block replies, CDR storage, duplicates,
forged signatures, malformed bodies, and a storage failure."""

from __future__ import annotations

import importlib.util
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import privnum

pytest.importorskip("flask")
from werkzeug.serving import make_server  # noqa: E402  (after the importorskip)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "webhook_flask.py"
KEY, SECRET = "webhook-key", "webhook-secret-do-not-log"
X, CALLEE = "+8617000000010", "+8613900000002"
CALLER = "+8613800000001"

#: Straight to the loopback server: never through a proxy from the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webhook_flask", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Server:
    url: str
    app: Any
    log: list[str] = field(default_factory=list)

    @property
    def store(self) -> Any:
        return self.app.extensions["privnum"]["store"]

    def post(
        self, body: bytes, headers: dict[str, str] | None = None, *, signed: bool = True
    ) -> tuple[int, bytes]:
        """POST a push; ``signed`` adds fresh X-AKSK headers (a new nonce each time)."""
        all_headers = {"Content-Type": "application/json"}
        if signed:
            all_headers.update(privnum.Signer(KEY, SECRET).headers())
        all_headers.update(headers or {})
        req = urllib.request.Request(self.url, data=body, headers=all_headers, method="POST")
        try:
            with OPENER.open(req, timeout=10) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            with e:
                return e.code, e.read()


def serve(**options: Any) -> Iterator[Server]:
    log: list[str] = []
    app = load_example().create_app(log=log.append, **options)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_port}/privnum/push", app, log)
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        httpd.server_close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The example configured from the environment, as in production."""
    monkeypatch.setenv("PRIVNUM_APP_KEY", KEY)
    monkeypatch.setenv("PRIVNUM_APP_SECRET", SECRET)
    yield from serve()


def callin(called: str = X, session: str = "s-1") -> bytes:
    info = {
        "timestamp": "2024-05-01 08:00:00",
        "sessionId": session,
        "caller": CALLER,
        "called": called,
        "notifyMode": "Block",
    }
    return json.dumps({"eventType": "callin", "statusInfo": info}).encode()


def sms_block(x: str = X) -> bytes:
    event = {
        "smsIdentifier": "sms-1",
        "notificationMode": "Block",
        "calling": CALLER,
        "virtualNumber": x,
        "event": "Text SMS",
        "timeStamp": "2024-05-01T08:00:00.000Z",
        "smsContent": "hello",
    }
    return json.dumps({"appKey": KEY, "smsEvent": event}).encode()


def cdrs(*icids: str) -> bytes:
    records = [
        {
            "icid": icid,
            "bindNum": X,
            "callerNum": CALLER,
            "fwdDstNum": CALLEE,
            "fwdAlertingTime": "2024-05-01 08:00:03",
            "fwdAnswerTime": "2024-05-01 08:00:08",
            "callEndTime": "2024-05-01 08:02:08",
            "ulFailReason": 0,
        }
        for icid in icids
    ]
    return json.dumps({"eventType": "fee", "feeLst": records}).encode()


def test_callin_block_gets_a_routing_reply(server: Server) -> None:
    status, body = server.post(callin())
    assert status == 200
    reply = json.loads(body)
    assert reply["operation"] == "connect"
    assert reply["connectInfo"]["calleeNum"] == CALLEE
    assert reply["connectInfo"]["maxDuration"] == 60
    assert body.decode() == privnum.connect_reply(CALLEE, max_duration_minutes=60)
    # X without a route: the call is closed.
    status, body = server.post(callin("+8617000000099", session="s-2"))
    assert (status, json.loads(body)) == (200, {"operation": "close", "closeInfo": {}})


def test_sms_block_gets_a_route_or_discard(server: Server) -> None:
    status, body = server.post(sms_block())
    assert status == 200
    assert json.loads(body) == {
        "actions": [{"operation": "vNumberRoute", "message": {"calling": CALLER, "called": CALLEE}}]
    }
    status, body = server.post(sms_block("+8617000000099"))
    assert (status, json.loads(body)) == (200, {"actions": [{"operation": "DiscardMessage"}]})


def test_cdrs_are_stored_once(server: Server) -> None:
    status, body = server.post(cdrs("c1", "c2"))
    assert (status, body) == (200, b"")
    assert set(server.store.records) == {"c1", "c2"}
    assert server.store.records["c1"]["call_end_time"] == 1714550528
    lines = [line for line in server.log if line.startswith("CDR ")]
    assert len(lines) == 2
    assert lines[0] == (
        "CDR c1: +86138****0001 -> +86139****0002 via +86170****0010, talk 120s, ok"
    )

    # The platform redelivers the batch (freshly signed): 200, nothing processed again.
    before = list(server.log)
    status, body = server.post(cdrs("c1", "c2"))
    assert (status, body) == (200, b"")
    assert server.log == before
    # A batch with one known and one new record: only the new one is stored.
    status, _ = server.post(cdrs("c2", "c3"))
    assert status == 200
    assert set(server.store.records) == {"c1", "c2", "c3"}
    assert [line.split(":")[0] for line in server.log[len(before):]] == ["CDR c3"]


def test_other_pushes_are_logged_masked(server: Server) -> None:
    disconnect = json.dumps(
        {
            "eventType": "disconnect",
            "statusInfo": {
                "sessionId": "s-9",
                "caller": CALLER,
                "called": CALLEE,
                "stateCode": 7503,
            },
        }
    ).encode()
    status_push = (
        b'{"eventType":"numStatus","numInfo":[{"number":"+8617000000010","status":"10","cause":"2"}]}'
    )
    for body in (disconnect, status_push):
        assert server.post(body) == (200, b"")
    assert "call disconnect s-9: +86138****0001 -> +86139****0002, 7503 (callee hung up)" in server.log
    assert "X +86170****0010 is now unavailable" in server.log
    for line in server.log:
        for full in (CALLER, CALLEE, X, CALLER[3:], CALLEE[3:], X[3:]):
            assert full not in line, line


def test_forged_and_missing_signatures_are_401(server: Server) -> None:
    forged = privnum.Signer(KEY, "not-the-secret").headers()
    status, body = server.post(cdrs("c1"), forged, signed=False)
    assert status == 401
    assert json.loads(body)["error"] == "AUTH_BAD_DIGEST"
    status, body = server.post(cdrs("c1"), signed=False)
    assert (status, json.loads(body)["error"]) == (401, "AUTH_MISSING")
    # A captured request replayed as is.
    headers = privnum.Signer(KEY, SECRET).headers()
    assert server.post(cdrs("c1"), headers, signed=False)[0] == 200
    status, body = server.post(cdrs("c1"), headers, signed=False)
    assert (status, json.loads(body)["error"]) == (401, "AUTH_REPLAYED")
    assert set(server.store.records) == {"c1"}
    assert SECRET not in " ".join(server.log)


def test_bad_pushes_are_400_with_the_kind(server: Server) -> None:
    for body, kind in [
        (b"{not json", "PUSH_INVALID_JSON"),
        (b"[]", "PUSH_WRONG_TYPE"),
        (b"{}", "PUSH_UNKNOWN_KIND"),
        (b'{"eventType":"fee"}', "PUSH_MISSING_FIELD"),
        (b'{"eventType":"fee","feeLst":[{"direction":"x"}]}', "PUSH_INVALID_VALUE"),
    ]:
        status, reply = server.post(body)
        assert status == 400, body
        error = json.loads(reply)
        assert error["error"] == kind, body
        assert error["message"]
    padding = b'"c0","pad":"' + b"x" * (1 << 20) + b'"'
    big = cdrs(*(f"c{i}" for i in range(50))).replace(b'"c0"', padding)
    status, reply = server.post(big)
    assert (status, json.loads(reply)["error"]) == (413, "PUSH_TOO_LARGE")
    assert server.store.records == {}


def test_failed_storage_is_500_and_the_redelivery_is_processed(server: Server) -> None:
    store = server.store
    real_add = store.add
    calls = []

    def failing_add(records: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        real_add(records)

    store.add = failing_add
    headers = privnum.Signer(KEY, SECRET).headers()
    status, body = server.post(cdrs("c7"), headers, signed=False)
    assert (status, json.loads(body)) == (500, {"error": "PROCESSING_FAILED"})
    assert store.records == {}
    # The platform redelivers the same request: its nonce was released.
    assert server.post(cdrs("c7"), headers, signed=False) == (200, b"")
    assert set(store.records) == {"c7"}


def test_without_credentials_signatures_are_not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRIVNUM_APP_KEY", raising=False)
    monkeypatch.delenv("PRIVNUM_APP_SECRET", raising=False)
    for srv in serve(routes={"+8617000000011": "+8613900000004"}):
        assert "signatures are NOT checked" in srv.log[0]
        status, body = srv.post(callin("+8617000000011"), signed=False)
        assert status == 200
        assert json.loads(body)["connectInfo"]["calleeNum"] == "+8613900000004"
        assert srv.post(cdrs("c1"), signed=False) == (200, b"")
        assert set(srv.store.records) == {"c1"}


def test_half_configured_credentials_refuse_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVNUM_APP_KEY", KEY)
    monkeypatch.delenv("PRIVNUM_APP_SECRET", raising=False)
    with pytest.raises(TypeError, match="both app_key and app_secret"):
        load_example().create_app(log=lambda line: None)
