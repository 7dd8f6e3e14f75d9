"""HMAC-SHA256 request signatures, one scheme for alarms coming in and callbacks going out.

The signature covers the timestamp, the query string where the request has one (an Axis or
ONVIF intake names its camera there) and the body: ``sha256=hex(HMAC(secret,
"<timestamp>." + body))``, or ``"<timestamp>?<query>." + body`` with a query, sent as the
X-Vigil-Signature header with X-Vigil-Timestamp (Unix seconds, an integer) and
X-Vigil-Source. A request whose timestamp is further from
now than the allowed skew is refused, so a captured request cannot be replayed later;
within the skew, the alarm's source event id makes a replay the same alarm.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from secrets import token_bytes, token_hex

from vigil.errors import VigilError

SOURCE_HEADER = "X-Vigil-Source"
TIMESTAMP_HEADER = "X-Vigil-Timestamp"
SIGNATURE_HEADER = "X-Vigil-Signature"
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")


class SignatureError(VigilError):
    """A request whose signature, source or timestamp does not check out."""


def same_secret(sent: str, expected: str) -> bool:
    """Constant-time comparison of a secret a client sent with the expected one; any
    text (``hmac.compare_digest`` refuses non-ASCII strings with a TypeError)."""
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8"))


def sign(secret: str, timestamp: str, body: bytes, query: str = "") -> str:
    """The signature header value for a body sent at ``timestamp`` (to a URL with the
    raw ``query`` string, if any: what the query says is signed too)."""
    signed = timestamp + (f"?{query}" if query else "")
    mac = hmac.new(secret.encode(), signed.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signed_headers(
    source: str, secret: str, timestamp: float, body: bytes, query: str = ""
) -> dict[str, str]:
    """The three headers of a signed request (to a URL with the raw ``query`` string)."""
    stamp = str(int(timestamp))
    return {
        SOURCE_HEADER: source,
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: sign(secret, stamp, body, query),
    }


def check_signature(
    secrets: dict[str, str],
    source: str | None,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float,
    max_skew_s: float,
    query: str = "",
) -> str:
    """The source of a correctly signed, fresh request (its raw ``query`` string signed
    too); SignatureError says what failed."""
    if not source or source not in secrets:
        raise SignatureError("unknown or missing alarm source")
    if not timestamp or not _UNIX_SECONDS.fullmatch(timestamp):
        # an integer only: 'nan' or 'inf' would pass every comparison with the clock
        raise SignatureError("missing or malformed timestamp (Unix seconds, an integer)")
    sent = int(timestamp)
    if abs(now - sent) > max_skew_s:
        raise SignatureError(
            f"timestamp {abs(now - sent):.0f} s away from now (allowed {max_skew_s:g} s): "
            "stale or replayed"
        )
    if not signature or not same_secret(signature, sign(secrets[source], timestamp, body, query)):
        raise SignatureError("bad signature")
    return source


def check_basic(secrets: dict[str, str], authorization: str | None) -> str:
    """The source of an HTTP Basic ``Authorization`` header with its name and secret, for
    devices that cannot sign (an Axis camera's HTTP notification); SignatureError else.
    Without a signed timestamp a replay is possible: its event id makes it the same alarm.
    """
    scheme, _, encoded = (authorization or "").partition(" ")
    try:
        source, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        source, secret = "", ""
    expected = secrets.get(source)
    if scheme.lower() != "basic" or expected is None or not same_secret(secret, expected):
        raise SignatureError(f"bad or missing credentials (source {source[:64]!r})")
    return source


# -- web sign-in sessions ------------------------------------------------------------------
SESSION_KEY_FILE = "session.key"


def session_secret(folder: Path) -> bytes:
    """The site's secret for sign-in tokens, made on first use (mode 0600). Removing the
    file signs everyone out."""
    path = folder / SESSION_KEY_FILE
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it meanwhile
            return path.read_bytes()
        with os.fdopen(descriptor, "wb") as out:
            out.write(token_bytes(32))
    return path.read_bytes()


@dataclass(frozen=True)
class SessionClaims:
    """What a valid sign-in or API token says: whose it is, when it was issued and ends,
    and its id (to end it early)."""

    user: str
    issued: float
    expires: float
    token_id: str


def issue_session(secret: bytes, user: str, expires: float) -> str:
    """A token naming ``user`` from now until ``expires`` (Unix seconds), signed with
    ``secret``; its random id lets a sign-out end it before then."""
    claims = {"u": user, "iat": time.time(), "exp": int(expires), "jti": token_hex(12)}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode())
    mac = hmac.new(secret, payload, hashlib.sha256).hexdigest()
    return f"v1.{payload.decode()}.{mac}"


def read_session(secret: bytes, token: str, now: float) -> SessionClaims:
    """The claims of a valid, unexpired token; SignatureError otherwise."""
    try:
        version, payload, mac = token.split(".")
    except ValueError:
        raise SignatureError("malformed sign-in token") from None
    expected = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    if version != "v1" or not same_secret(mac, expected):
        raise SignatureError("invalid sign-in token")
    claims = json.loads(base64.urlsafe_b64decode(payload))
    if claims["exp"] < now:
        raise SignatureError("the sign-in has expired: sign in again")
    if "jti" not in claims:  # made before tokens could be ended early
        raise SignatureError("this sign-in is from an older version: sign in again")
    return SessionClaims(
        str(claims["u"]), float(claims.get("iat", 0)), float(claims["exp"]), str(claims["jti"])
    )


def csrf_token(secret: bytes, session: str) -> str:
    """The CSRF token of a sign-in session: forms and scripts send it back with every
    change, which a page on another site cannot read."""
    return hmac.new(secret, b"csrf." + session.encode(), hashlib.sha256).hexdigest()[:40]
