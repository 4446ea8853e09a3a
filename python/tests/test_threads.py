"""Concurrency: the vectors from many threads at once, one shared Verifier
accepting each nonce exactly once, and one shared Inbox receiving signed,
redelivered pushes from many threads."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import privnum
from conftest import load_cases

THREADS = 8
ROUNDS = 20


def run_number_case(case: dict[str, Any]) -> str:
    kwargs = {"default_country": case["default_country"]} if "default_country" in case else {}
    try:
        n = privnum.parse_number(case["input"], **kwargs)
    except privnum.PrivnumError as e:
        assert e.kind == case["error"], case["id"]
        return e.kind
    e164 = str(case["expect"]["e164"])
    assert n.e164 == e164, case["id"]
    assert n.number_class.value == case["expect"]["class"], case["id"]
    assert privnum.parse_numbers([case["input"]] * 50, **kwargs) == [n] * 50
    return e164


def run_signing_case(case: dict[str, Any]) -> str:
    if case["op"] != "sign":
        return "skipped"
    try:
        h = privnum.Signer(case["app_key"], case["app_secret"]).sign(
            case["scheme"], nonce=case["nonce"], created=case["created"]
        )
    except privnum.PrivnumError as e:
        assert e.kind == case["error"], case["id"]
        return e.kind
    assert h.value == case["expect"]["header"], case["id"]
    return h.digest


def test_vectors_from_many_threads() -> None:
    jobs: list[tuple[Any, dict[str, Any]]] = []
    jobs += [(run_number_case, c) for c in load_cases("numbers")]
    jobs += [(run_signing_case, c) for c in load_cases("signing")]
    expected = [fn(case) for fn, case in jobs]
    work = jobs * ROUNDS
    order = list(range(len(work)))
    random.Random(7).shuffle(order)
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda i: (i, work[i][0](work[i][1])), order))
    for i, got in results:
        assert got == expected[i % len(jobs)]


def test_shared_verifier_accepts_each_nonce_once() -> None:
    key, secret, now = "pushkey", "pushsecret", 1_714_550_400
    signer = privnum.Signer(key, secret)
    verifier = privnum.Verifier(key, secret, replay_capacity=100_000)
    requests = [
        signer.sign(nonce=f"N{i}", now=now - (i % 600)).as_dict() for i in range(3000)
    ]
    # Every request is delivered three times, in random order, from 8 threads.
    deliveries = requests * 3
    random.Random(11).shuffle(deliveries)

    def deliver(headers: dict[str, str]) -> str:
        try:
            return "accepted:" + verifier.verify(headers, now=now).nonce
        except privnum.AuthReplayedError:
            return "replayed"

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = Counter(pool.map(deliver, deliveries))
    accepted = {k for k in outcomes if k.startswith("accepted:")}
    assert len(accepted) == len(requests)
    assert all(outcomes[k] == 1 for k in accepted)
    assert outcomes["replayed"] == 2 * len(requests)
    assert verifier.remembered == len(requests)


def test_shared_inbox_from_many_threads() -> None:
    """Eight threads share one signed Inbox, as a web server's workers would.

    600 CDR pushes (2 records each; every third one padded past the size at
    which parsing releases the GIL) are each delivered three times with the
    same headers: exactly one delivery per push passes the replay check, its
    new records are stored once and committed; afterwards every redelivery,
    freshly signed, is a duplicate."""
    key, secret, now = "pushkey", "pushsecret", 1_714_550_400
    signer = privnum.Signer(key, secret)
    inbox = privnum.Inbox(key, secret)

    def body(i: int) -> bytes:
        pad = "x" * (3000 if i % 3 == 0 else 0)
        records = [{"icid": f"c{i}-{j}", "callerNum": "+8613800000001", "pad": pad} for j in range(2)]
        return json.dumps({"eventType": "fee", "feeLst": records}).encode()

    pushes = [(body(i), signer.headers(nonce=f"N{i}", now=now)) for i in range(600)]
    assert any(len(b) >= 4096 for b, _ in pushes) and any(len(b) < 4096 for b, _ in pushes)
    deliveries = pushes * 3
    random.Random(5).shuffle(deliveries)
    stored: list[str] = []
    lock = threading.Lock()

    def deliver(delivery: tuple[bytes, dict[str, str]]) -> str:
        try:
            received = inbox.receive(delivery[0], delivery[1], now=now)
        except privnum.AuthReplayedError:
            return "replayed"
        with lock:
            stored.extend(r.icid or "" for r in received.new_records)
        inbox.commit(received, now=now)
        return "accepted"

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = Counter(pool.map(deliver, deliveries))
    assert outcomes == {"accepted": len(pushes), "replayed": 2 * len(pushes)}
    assert sorted(stored) == sorted(f"c{i}-{j}" for i in range(600) for j in range(2))
    assert inbox.remembered == 2 * len(pushes)

    def redeliver(i: int) -> bool:
        headers = signer.headers(nonce=f"again{i}", now=now + 60)
        return inbox.receive(pushes[i][0], headers, now=now + 60).is_duplicate

    with ThreadPoolExecutor(THREADS) as pool:
        assert all(pool.map(redeliver, range(len(pushes))))
