#!/usr/bin/env python3
"""A webhook for the platform's pushes, with Flask and privnum.

One URL (``POST /privnum/push``) receives every push the platform sends:
call events, CDR batches, SMS notifications and X-number status changes.
``privnum.Inbox`` checks the size, the X-AKSK/X-WSSE signature (when a key and
secret are configured), parses the body and marks each item new or duplicate.
Then this app:

* answers an X-mode ``callin`` Block push with ``connect_reply`` to the real
  callee found in a small in-memory routing table (X number → callee), or
  with ``close_reply`` when X has no route;
* answers an SMS Block push with ``sms_route_reply`` to the receiver found in
  the same table, or with ``sms_discard_reply``;
* stores new CDRs (in memory here), printing a masked summary of each;
* commits the push once it is stored, so that the platform's redeliveries are
  recognised and answered 200 without being processed again;
* answers 401 (bad signature), 413 (too large) or 400 (unreadable push) with
  the error kind, and 500 when storing fails (after releasing the push's
  nonce, so that the platform's redelivery is accepted).

Configuration (environment):

* ``PRIVNUM_APP_KEY`` and ``PRIVNUM_APP_SECRET``: check signatures with them.
  Without them, signatures are **not** checked: only do that behind a proxy
  that verifies them.
* ``HOST`` (default ``127.0.0.1``) and ``PORT`` (default ``8080``).

Run: ``python python/examples/webhook_flask.py``; tested by
``python/tests/test_webhook_example.py`` against a real server on loopback.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask, Response, jsonify, request

import privnum

#: X number (E.164) → the real party calls and SMS to X are connected to.
DEFAULT_ROUTES: dict[str, str] = {
    "+8617000000010": "+8613900000002",
    "+8617000000011": "+8613900000003",
}

#: The longest call connect_reply allows, in minutes (0 = unlimited).
MAX_CALL_MINUTES = 60

Log = Callable[[str], None]


def _print(line: str) -> None:
    print(line, flush=True)


def masked(text: str | None) -> str:
    """A number for logs: the masked form when ``text`` is a number."""
    if text is None:
        return "-"
    try:
        return privnum.parse_number(text).masked
    except privnum.NumberError:
        return "<not a number>"


def cdr_summary(r: privnum.CdrRecord) -> str:
    """One log line per CDR, without a full phone number."""
    outcome = f"failed: {r.failure}" if r.failure else "ok"
    if r.hung_up_by:
        outcome += f", {r.hung_up_by} hung up"
    line = (
        f"CDR {r.key}: {masked(r.caller_num)} -> {masked(r.fwd_dst_num)} via {masked(r.bind_num)}, "
        f"talk {r.talk_seconds}s, {outcome}"
    )
    if r.recording is not None:
        line += f", recording {r.recording.file_name}"
    return line


class CdrStore:
    """The application's CDR storage: in memory here, keyed by the CDR's key."""

    def __init__(self, log: Log) -> None:
        self._log = log
        self._lock = threading.Lock()
        self.records: dict[str, dict[str, Any]] = {}

    def add(self, records: Iterable[privnum.CdrRecord]) -> None:
        for r in records:
            with self._lock:
                self.records[r.key or f"unkeyed-{len(self.records)}"] = r.to_dict()
            self._log(cdr_summary(r))


class Routes:
    """X number → real party, normalised to E.164."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self._table = {
            privnum.parse_number(x).e164: privnum.parse_number(to) for x, to in table.items()
        }

    def target(self, x: str | None) -> privnum.Number | None:
        if x is None:
            return None
        try:
            return self._table.get(privnum.parse_number(x).e164)
        except privnum.NumberError:
            return None


def error(status: int, e: privnum.PrivnumError) -> tuple[Response, int]:
    return jsonify(error=e.kind, message=str(e)), status


def create_app(
    *,
    app_key: str | None = None,
    app_secret: str | None = None,
    routes: Mapping[str, str] | None = None,
    log: Log = _print,
    env: Mapping[str, str] = os.environ,
) -> Flask:
    """The webhook app. ``app_key``/``app_secret`` default to the environment
    (``PRIVNUM_APP_KEY``/``PRIVNUM_APP_SECRET``); with neither, signatures are
    not checked. Its state is ``app.extensions["privnum"]``."""
    app_key = app_key if app_key is not None else env.get("PRIVNUM_APP_KEY") or None
    app_secret = app_secret if app_secret is not None else env.get("PRIVNUM_APP_SECRET") or None
    inbox = privnum.Inbox(app_key, app_secret)  # both or neither, else TypeError
    if app_key is None:
        log("privnum: PRIVNUM_APP_KEY/PRIVNUM_APP_SECRET not set: push signatures are NOT checked")
    table = Routes(DEFAULT_ROUTES if routes is None else routes)
    store = CdrStore(log)

    app = Flask(__name__)
    # The Inbox enforces its own limit (1 MiB); this only stops absurd uploads early.
    app.config["MAX_CONTENT_LENGTH"] = 4 << 20
    app.extensions["privnum"] = {"inbox": inbox, "store": store, "routes": table}

    def block_reply(push: privnum.Push) -> str | None:
        """The routing decision a Block push waits for, else None. Pure: a
        redelivered Block push gets the same answer."""
        if isinstance(push, privnum.CallEvent) and push.needs_reply:
            callee = table.target(push.info.called)
            if callee is None:
                log(f"callin to {masked(push.info.called)}: no route, closing")
                return privnum.close_reply()
            log(f"callin {masked(push.info.caller)} -> {masked(push.info.called)}: connect {callee}")
            return privnum.connect_reply(callee, max_duration_minutes=MAX_CALL_MINUTES)
        if isinstance(push, privnum.SmsEvent) and push.needs_reply:
            receiver = table.target(push.virtual_number)
            if receiver is None or push.calling is None:
                log(f"SMS to {masked(push.virtual_number)}: no route, discarding")
                return privnum.sms_discard_reply()
            log(f"SMS {masked(push.calling)} -> {masked(push.virtual_number)}: route to {receiver}")
            return privnum.sms_route_reply(push.calling, receiver)
        return None

    def process(received: privnum.Received) -> None:
        """Side effects of a push seen for the first time (or partly new)."""
        push = received.push
        if isinstance(push, privnum.CdrBatch):
            store.add(received.new_records)
        elif isinstance(push, privnum.CallEvent):
            info = push.info
            code = f", {info.state_code}" if info.state_code is not None else ""
            log(f"call {push.event} {info.session_id}: {masked(info.caller)} -> {masked(info.called)}{code}")
        elif isinstance(push, privnum.SmsEvent):
            log(f"SMS {push.notification_mode} {push.sms_identifier}: {masked(push.calling)}")
        else:
            for entry in push:
                log(f"X {masked(entry.number)} is now {entry.status.name}")

    @app.post("/privnum/push")
    def push() -> Any:
        try:
            received = inbox.receive(request.get_data(cache=False), request.headers)
        except privnum.AuthError as e:
            return error(401, e)
        except privnum.PushTooLargeError as e:
            return error(413, e)
        except privnum.PushError as e:
            return error(400, e)

        reply = block_reply(received.push)
        if not received.is_duplicate:
            try:
                process(received)
            except Exception:
                # Not stored: let the platform's redelivery through, and ask for it.
                inbox.release(received)
                app.logger.exception("processing a %s push failed", received.push.kind)
                return jsonify(error="PROCESSING_FAILED"), 500
            inbox.commit(received)
        if reply is not None:
            return Response(reply, 200, mimetype="application/json")
        return Response(status=200)

    return app


def main() -> None:
    app = create_app()
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8080")))


if __name__ == "__main__":
    main()
