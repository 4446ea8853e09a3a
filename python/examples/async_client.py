"""Calling the platform from asyncio with httpx and privnum's sans-IO client.

privnum builds, signs and reads; httpx sends. The one rule that needs care is
retrying: sign every attempt afresh, resend only what is idempotent, back off
when throttled, and never resend a bind whose outcome is unknown (query
instead: it may have bound).

Run against your application (or the emulator)::

    PRIVNUM_BASE_URL=https://host:port PRIVNUM_APP_KEY=... PRIVNUM_APP_SECRET=... \\
        python async_client.py 13800000001 13900000002
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
from typing import Any

import httpx

import privnum

#: Errors after which the same request may be sent again (if idempotent).
TRANSIENT = (privnum.PlatformRetryError, httpx.TransportError)


class OutcomeUnknown(Exception):
    """A bind was sent but its answer was lost: query before binding again."""


async def call(
    http: httpx.AsyncClient,
    base_url: str,
    signer: privnum.Signer,
    op: privnum.Operation,
    *,
    attempts: int = 4,
    base_delay: float = 0.2,
) -> dict[str, Any]:
    """Send ``op`` and return its output, retrying only where that is safe."""
    for attempt in range(1, attempts + 1):
        req = op.sign(signer)  # a fresh nonce and Created for every attempt
        try:
            resp = await http.request(
                req.method, req.url(base_url), headers=req.headers, content=req.body
            )
            return op.parse(resp.status_code, resp.content, resp.headers.get("location"))
        except privnum.PlatformThrottledError:
            if attempt == attempts:
                raise
            # Not processed: safe to resend anything, binds included, after a pause.
            await asyncio.sleep(base_delay * 4 * attempt)
        except TRANSIENT as e:
            if not op.idempotent:
                sent = not isinstance(e, httpx.ConnectError)
                if sent:
                    raise OutcomeUnknown(f"{op.name}: {e}") from e
            if attempt == attempts:
                raise
            await asyncio.sleep(base_delay * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


async def bind_talk_unbind(
    http: httpx.AsyncClient, base_url: str, signer: privnum.Signer, a: str, b: str
) -> dict[str, Any]:
    """Bind A and B, look the binding up by X, unbind it; return the binding."""
    bound = await call(http, base_url, signer, privnum.Operation("axb.bind", caller_num=a, callee_num=b))
    found = await call(
        http,
        base_url,
        signer,
        privnum.Operation("axb.query", relation_num=bound["relation_num"], caller_num=a),
    )
    assert any(r.get("subscription_id") == bound["subscription_id"] for r in found["bindings"])
    await call(
        http,
        base_url,
        signer,
        privnum.Operation("axb.unbind", subscription_id=bound["subscription_id"]),
    )
    return bound


async def main(argv: list[str]) -> int:
    base_url = os.environ["PRIVNUM_BASE_URL"]
    signer = privnum.Signer(os.environ["PRIVNUM_APP_KEY"], os.environ["PRIVNUM_APP_SECRET"])
    a, b = argv[1], argv[2]
    # The platform closes connections itself: keep-alive buys little.
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0)) as http:
        bound = await bind_talk_unbind(http, base_url, signer, a, b)
    x = privnum.parse_number(bound["relation_num"])
    print(f"bound and unbound {bound['subscription_id']} on {x}")  # numbers masked
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv)))
