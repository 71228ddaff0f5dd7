"""User accounts and the audit trail. Changes need the password typed recently."""

from __future__ import annotations

from flask import Blueprint

from eyepi_gui.errors import InvalidInput, NotFound
from remote.api.registry import API, PREFIX
from remote.auth import needs_password, principal, services
from remote.models import AuditFilter, AuditOut, UserChange, UserCreate, UserOut

blueprint = Blueprint("users", __name__, url_prefix=PREFIX)


@API.route(blueprint, "/users", summary="Every account", response=list[UserOut])
def list_users() -> list[UserOut]:
    return [UserOut.of(user) for user in services().users.users(principal())]


@API.route(
    blueprint,
    "/users",
    "POST",
    summary="Add an account (admin)",
    body=UserCreate,
    response=UserOut,
    status=201,
)
@needs_password
def add_user(body: UserCreate) -> UserOut:
    created = services().users.add_user(principal(), body.username, body.password, body.role)
    return UserOut.of(created)


@API.route(
    blueprint,
    "/users/<username>",
    "PATCH",
    summary="Change one thing of an account: role, enabled state or password (admin)",
    body=UserChange,
    response=UserOut,
)
@needs_password
def change_user(username: str, body: UserChange) -> UserOut:
    users, who = services().users, principal()
    given = body.model_dump(exclude_none=True)
    if len(given) != 1:
        raise InvalidInput("body", "give exactly one of role, disabled or password")
    if body.password is not None:
        users.reset_password(who, username, body.password)
    elif body.role is not None:
        return UserOut.of(users.set_role(who, username, body.role))
    elif body.disabled is not None:
        return UserOut.of(users.set_disabled(who, username, body.disabled))
    found = [u for u in users.users(who) if u.username == username]
    if not found:
        raise NotFound(f"no user {username!r}")
    return UserOut.of(found[0])


@API.route(
    blueprint, "/users/<username>", "DELETE", summary="Remove an account (admin)", status=204
)
@needs_password
def remove_user(username: str) -> None:
    services().users.remove_user(principal(), username)


@API.route(
    blueprint,
    "/audit",
    summary="Who did what, newest first",
    query=AuditFilter,
    response=list[AuditOut],
)
def audit(query: AuditFilter) -> list[AuditOut]:
    entries = services().audit.recent(
        principal(), query.limit, username=query.username, action=query.action
    )
    return [AuditOut.of(entry) for entry in entries]
