"""Sign-in and API tokens: issued, read and ended in one place for the web pages, the API
and the CLI. A token is signed with the site's session secret (vigil.signing); reading one
also checks that its user still exists, has not changed password since, and that it was
not ended by a sign-out."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from vigil.domain import UserRecord
from vigil.settings import Settings
from vigil.signing import SessionClaims, SignatureError, issue_session, read_session, session_secret
from vigil.store import Store


def issue_token(
    settings: Settings,
    store: Store,
    user: UserRecord,
    seconds: float,
    by: str,
    action: str,
    detail: dict,
) -> tuple[str, datetime]:
    """A token for ``user`` valid ``seconds`` from now, and when it ends (site zone); the
    issue is audited as ``action`` by ``by``: a sign-in (``login``), or an admin's token
    for an integration (``user.token``)."""
    expires = time.time() + seconds
    token = issue_session(session_secret(settings.data_dir), user.name, expires)
    store.audit.record(by, action, f"user:{user.name}", detail)
    return token, datetime.fromtimestamp(expires, UTC).astimezone(settings.tz)


def read_token(settings: Settings, store: Store, token: str) -> tuple[UserRecord, SessionClaims]:
    """The user a token signs in, and its claims; SignatureError saying why when it
    is invalid, expired, ended, or its user is gone or changed
    password since."""
    claims = read_session(session_secret(settings.data_dir), token, time.time())
    return still_signed_in(store, claims), claims


def still_signed_in(store: Store, claims: SessionClaims) -> UserRecord:
    """The user of a sign-in checked earlier, as they are now (a long-lived stream asks
    again): SignatureError where it expired, was ended, or its user is gone or changed
    password since."""
    if claims.expires < time.time():
        raise SignatureError("the sign-in has expired: sign in again")
    user = store.users.get(claims.user)
    if user is None:
        raise SignatureError("that user no longer exists")
    if claims.issued < user.password_changed.timestamp():
        raise SignatureError("the password changed since this sign-in: sign in again")
    if store.users.token_revoked(claims.token_id):
        raise SignatureError("this sign-in was ended (signed out): sign in again")
    return user


def end_token(store: Store, claims: SessionClaims, by: str) -> None:
    """End a token before its time (a sign-out): it is refused from now on."""
    store.users.revoke_token(claims.token_id, datetime.fromtimestamp(claims.expires, UTC))
    store.audit.record(by, "logout", f"user:{claims.user}")
