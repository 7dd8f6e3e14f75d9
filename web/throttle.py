"""Sign-in rate limiting, by address and by name separately, within a window:

- one name from one address: 5 failures (a guard who mistypes locks only their own name
  at their own desk, never the whole control room behind one NAT address);
- one address over all names: 30 failures (someone trying many names);
- one name over all addresses: 20 failures (many addresses guessing one password).

Past a limit, further tries of that kind are refused with 429 until the window has
passed; a success clears the name's count at that address.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from fastapi import HTTPException

WINDOW_S = 300.0
LIMITS = {"pair": 5, "address": 30, "name": 20}


class LoginThrottle:
    def __init__(self, limits: dict[str, int] | None = None, window_s: float = WINDOW_S) -> None:
        self.limits = limits or LIMITS
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(client: str, name: str) -> dict[str, str]:
        name = name.lower()
        return {"pair": f"{client}|{name}", "address": f"ip:{client}", "name": f"name:{name}"}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def check(self, client: str, name: str) -> None:
        """429 with Retry-After while any of the three counts is at its limit."""
        now = time.monotonic()
        with self._lock:
            for kind, key in self._keys(client, name).items():
                times = self._recent(key, now)
                if len(times) >= self.limits[kind]:
                    wait = int(times[-self.limits[kind]] + self.window_s - now) + 1
                    raise HTTPException(
                        429,
                        "too many failed sign-ins: wait and try again",
                        {"Retry-After": str(wait)},
                    )

    def failed(self, client: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in self._keys(client, name).values():
                self._recent(key, now).append(now)

    def succeeded(self, client: str, name: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(client, name)["pair"], None)
