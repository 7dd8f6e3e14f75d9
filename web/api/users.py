"""/api/users: people and their roles (admins), and API tokens for integrations."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from vigil.domain import UserRecord
from vigil.sessions import issue_token
from web.api.defs import TokenIn, TokenOut, UserIn
from web.deps import ContextDep, role_at_least

Admin = Depends(role_at_least("admin"))
router = APIRouter(prefix="/api/users", tags=["users"])


@router.get("", response_model=list[UserRecord])
def users(ctx: ContextDep, admin: UserRecord = Admin) -> list[UserRecord]:
    return ctx.store.users.list()


@router.post("", response_model=UserRecord, status_code=201)
def add_user(body: UserIn, ctx: ContextDep, admin: UserRecord = Admin) -> UserRecord:
    if body.cameras:
        ctx.store.videos.check_cameras(body.cameras)
    return ctx.store.users.add(body.name, body.role, body.password, admin.name, body.cameras)


@router.delete("/{name}", status_code=204)
def remove_user(name: str, ctx: ContextDep, admin: UserRecord = Admin) -> None:
    if name == admin.name:
        raise HTTPException(409, "an admin cannot remove themselves")
    ctx.store.users.remove(name, admin.name)


@router.post("/{name}/tokens", response_model=TokenOut, status_code=201)
def token(name: str, body: TokenIn, ctx: ContextDep, admin: UserRecord = Admin) -> TokenOut:
    """A bearer token for an integration acting as ``name`` (its role and cameras)."""
    user = ctx.store.users.get(name)
    if user is None:
        raise HTTPException(404, f"no user {name[:64]!r}")
    token, expires = issue_token(
        ctx.settings, ctx.store, user, body.days * 86400, admin.name, "user.token",
        {"days": body.days},
    )  # fmt: skip
    return TokenOut(token=token, expires=expires)
