"""API tokens for scripts: made by a logged-in user (password typed recently), shown once."""

from __future__ import annotations

from flask import Blueprint

from remote.api.registry import API, PREFIX
from remote.auth import needs_password, principal, services
from remote.models import TokenCreate, TokenCreated, TokenOut

blueprint = Blueprint("tokens", __name__, url_prefix=f"{PREFIX}/tokens")


@API.route(blueprint, "", summary="Your API tokens (an admin: everyone's)", response=list[TokenOut])
def list_tokens() -> list[TokenOut]:
    return [TokenOut.of(token) for token in services().tokens.visible(principal())]


@API.route(
    blueprint,
    "",
    "POST",
    summary="Make an API token (its text is shown only in this answer)",
    body=TokenCreate,
    response=TokenCreated,
    status=201,
)
@needs_password
def create_token(body: TokenCreate) -> TokenCreated:
    info, secret = services().tokens.create(principal(), body.name)
    return TokenCreated(token=secret, info=TokenOut.of(info))


@API.route(blueprint, "/<token_id>", "DELETE", summary="Revoke an API token", status=204)
def revoke_token(token_id: str) -> None:
    services().tokens.revoke(principal(), token_id)
