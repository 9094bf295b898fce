"""A token bucket per caller, in this process, with a bounded table.

Each caller (an authenticated caller's name, or an anonymous client's IP
address; an IPv6 client's /64) has a bucket holding up to `per_minute`
requests that refills at `per_minute` a minute. The table of buckets is an
LRU of at most `max_callers` entries, so a flood of new addresses cannot
grow it without bound: it evicts the caller least recently seen, whose
bucket has most likely refilled anyway (an evicted caller starts again with
a full bucket, so eviction can only ever be generous, never refuse anyone).

The limit is per worker process: with WORKERS=4, a caller may make up to
four times the limit across the workers.

(pyrate-limiter, which a development tool pulls in, keeps one bucket per
name with no bound on how many, and leaks them from a background thread;
these twenty lines are simpler to reason about.)
"""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, per_minute: int, max_callers: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute < 1 or max_callers < 1:
            raise ValueError("per_minute and max_callers must be at least 1")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens a second
        self.max_callers = max_callers
        self.clock = clock
        # key -> (tokens left, when they were counted)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> float:
        """Spend one request for `key`: 0.0 if allowed, else the seconds to wait.

        Synchronous and without an await, so it is atomic on the event loop.
        """
        now = self.clock()
        entry = self._buckets.pop(key, None)
        if entry is None:
            tokens = self.capacity
        else:
            left, then = entry
            tokens = min(self.capacity, left + max(0.0, now - then) * self.rate)
        if tokens >= 1.0:
            tokens -= 1.0
            wait = 0.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_callers:
            self._buckets.popitem(last=False)
        return wait


def client_key(host: str | None) -> str:
    """The bucket of an anonymous client: its IP address, an IPv6 one's /64."""
    if not host:
        return "ip:unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "ip:" + host[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return "ip:" + str(address.ipv4_mapped)
        return "ip:" + str(ipaddress.IPv6Network((address, 64), strict=False))
    return "ip:" + str(address)
