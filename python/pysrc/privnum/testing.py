"""The platform emulator for tests: the PrivateNumber platform's REST API and
its pushes on 127.0.0.1, so that code using :class:`privnum.Client` (or any
HTTP client) can be tested offline, against real HTTP.

::

    import privnum
    import privnum.testing

    with privnum.testing.emulator() as emu:          # one AXB application
        client = emu.client()                        # a privnum.Client for it
        bound = client.call_op("axb.bind", caller_num="13800000001",
                               callee_num="13900000002", relation_num=emu.numbers[0])
        report = emu.simulate_call("13800000001", emu.numbers[0])
        assert report["route"]["callee"] == "+8613900000002"

Pushes go to the URLs of the application (``call_event_url``, ``fee_url``),
signed with its key and secret, and are redelivered on the platform's
schedule divided by ``retry_time_scale`` (60 000 by default here: a minute
becomes a millisecond). :meth:`Emulator.pushes` and
:meth:`Emulator.deliveries` show what was sent.

As a pytest fixture, in ``conftest.py``::

    from collections.abc import Iterator

    import pytest
    import privnum.testing

    @pytest.fixture
    def emu() -> Iterator[privnum.testing.Emulator]:
        with privnum.testing.emulator() as e:
            yield e

(``scope="session"`` shares one emulator; bindings then outlive each test.)

The emulator runs on threads of its own; every call that waits (for pushes,
for the threads to stop) releases the GIL, so a webhook served by a Python
thread of the same process receives its pushes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from ._native import Client, Number, _Emulator

__all__ = ["Emulator", "emulator", "DEMO_APP"]

#: The application the emulator hosts when none is given: AXB, key
#: ``emulator-app-key``, secret ``emulator-app-secret`` (well-known test
#: values), X numbers ``+8617000000010`` to ``+8617000000013`` in area
#: ``0755``. A copy; changing it changes nothing.
DEMO_APP: dict[str, Any] = _Emulator.demo_app()


def _number(n: str | Number) -> str:
    """A number as the emulator reads it: ``Number`` as E.164, text as typed."""
    return n.e164 if isinstance(n, Number) else n


class Emulator:
    """A running emulator (made by :func:`emulator`).

    ``base_url``, ``app_key``, ``app_secret`` and ``numbers`` describe the
    first (default) application. ``repr()`` shows no secret.
    """

    def __init__(self, native: _Emulator, apps: Sequence[Mapping[str, Any]]) -> None:
        self._native = native
        self._apps = [dict(a) for a in apps]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: the access address to give a client."""
        return self._native.base_url

    @property
    def app_key(self) -> str:
        """The first application's key."""
        return str(self._apps[0]["app_key"])

    @property
    def app_secret(self) -> str:
        """The first application's secret (to verify its pushes)."""
        return str(self._apps[0]["app_secret"])

    @property
    def numbers(self) -> list[str]:
        """The first application's X numbers, as configured."""
        return [str(n["number"]) for n in self._apps[0].get("numbers") or []]

    @property
    def running(self) -> bool:
        """Whether it is running (not stopped yet)."""
        return self._native.running

    def client(self, app_key: str | None = None, **options: Any) -> Client:
        """A :class:`privnum.Client` for an application (default: the first),
        accepting ``http://``; ``options`` are :class:`privnum.Client`'s
        keyword arguments (for example ``max_attempts=1``)."""
        app = self._app(app_key)
        options.setdefault("https_only", False)
        return Client(self.base_url, str(app["app_key"]), str(app["app_secret"]), **options)

    def simulate_call(
        self,
        caller: str | Number,
        dialled: str | Number,
        *,
        outcome: Literal["answered", "no_answer", "busy"] = "answered",
        talk_secs: int = 30,
        ring_secs: int = 5,
        record: bool | None = None,
    ) -> dict[str, Any]:
        """Simulate ``caller`` dialling the X number ``dialled``: routed by the
        owning application's bindings, its call events and CDR pushed to the
        application's URLs. Returns the report (``route``, ``events``,
        ``push_ids``, ``session_id``, ``subscription_id``, ``state_code``,
        ...). Raises ``InvalidArgumentError`` (``.field == "dialled"``) when no
        application owns ``dialled``."""
        call: dict[str, Any] = {
            "caller": _number(caller),
            "dialled": _number(dialled),
            "outcome": outcome,
            "talk_secs": talk_secs,
            "ring_secs": ring_secs,
        }
        if record is not None:
            call["record"] = record
        report: dict[str, Any] = self._native.control("POST", "calls", json.dumps(call))
        return report

    def pushes(self) -> list[dict[str, Any]]:
        """Every push queued so far, in order: ``id``, ``app_key``, ``event``,
        ``url``, ``status`` (``pending``, ``delivered``, ``gave_up``),
        ``attempts`` and ``body`` (the JSON text, as sent)."""
        pushes: list[dict[str, Any]] = self._native.control("GET", "pushes")
        return pushes

    def deliveries(self) -> list[dict[str, Any]]:
        """Every delivery attempt so far, oldest first (``push_id``,
        ``attempt``, ``outcome``, ``status``, ``since_first_ms``, ...)."""
        attempts: list[dict[str, Any]] = self._native.control("GET", "deliveries")
        return attempts

    def bindings(self, app_key: str | None = None) -> list[dict[str, Any]]:
        """The bindings of an application (default: the first), oldest first."""
        key = str(self._app(app_key)["app_key"])
        lists: list[dict[str, Any]] = self._native.control(
            "GET", "bindings?app_key=" + _quote(key)
        )
        found: list[dict[str, Any]] = lists[0]["bindings"]
        return found

    def flush_cdrs(self) -> None:
        """Send the CDRs waiting in their batch window now."""
        self._native.control("POST", "cdrs/flush")

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait (GIL released) until no push is pending, at most ``timeout``
        seconds; whether that happened."""
        return self._native.wait_idle(timeout)

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """Any operation of the control interface (``"GET"``, ``"apps"``); a
        ``body`` that is not ``str`` is sent as JSON."""
        text = body if body is None or isinstance(body, str) else json.dumps(body)
        return self._native.control(method, path, text)

    def stop(self) -> None:
        """Stop serving and delivering and join the threads (GIL released).
        Stopping twice does nothing."""
        self._native.stop()

    def _app(self, app_key: str | None) -> Mapping[str, Any]:
        if app_key is None:
            return self._apps[0]
        for app in self._apps:
            if app["app_key"] == app_key:
                return app
        raise KeyError(f"no application has the key {app_key!r}")

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Emulator({self.base_url!r}, app_key={self.app_key!r}, {state})"


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


@contextmanager
def emulator(
    apps: Sequence[Mapping[str, Any]] | None = None, **settings: Any
) -> Iterator[Emulator]:
    """Start an emulator for the ``with`` block and stop it after.

    ``apps`` are the applications as ``dict``s: ``mode`` (``"axb"``, ...),
    ``app_key``, ``app_secret``, ``numbers`` (``[{"number": "+86170...",
    "area": "0755"}]``) and optionally ``call_event_url``, ``fee_url``,
    ``sp_id`` and ``retry_time_scale``; the default is :data:`DEMO_APP`.
    ``settings`` are the emulator's: ``port`` (default 0: a free one),
    ``workers``, ``max_clock_skew_secs``, ``push_timeout_ms``,
    ``cdr_batch_window_ms``, ``max_body_bytes``. Errors name the setting
    (``InvalidArgumentError`` with ``.field``)."""
    apps = [dict(DEMO_APP)] if apps is None else [dict(a) for a in apps]
    native = _Emulator(json.dumps({**settings, "apps": apps}))
    emu = Emulator(native, apps)
    try:
        yield emu
    finally:
        emu.stop()
