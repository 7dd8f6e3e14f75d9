"""Sign-in rate limiting: after too many failures from one address, or for one name,
within a window, further tries are refused with 429 until the window has passed."""

from __future__ import annotations

import threading
import time
from collections import deque

from fastapi import HTTPException

MAX_FAILURES = 5
WINDOW_S = 300.0


class LoginThrottle:
    def __init__(self, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def check(self, client: str, name: str) -> None:
        """429 with Retry-After while the address or the name has failed too often."""
        now = time.monotonic()
        with self._lock:
            for key in (f"ip:{client}", f"name:{name.lower()}"):
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    wait = int(times[0] + self.window_s - now) + 1
                    raise HTTPException(
                        429,
                        "too many failed sign-ins: wait and try again",
                        {"Retry-After": str(wait)},
                    )

    def failed(self, client: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"ip:{client}", f"name:{name.lower()}"):
                self._recent(key, now).append(now)

    def succeeded(self, client: str, name: str) -> None:
        with self._lock:
            self._failures.pop(f"name:{name.lower()}", None)
