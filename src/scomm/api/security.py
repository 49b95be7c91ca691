"""API credentials: generated with `secrets`, stored only as salted SHA-256, compared in constant time.

An API token is `scomm_<client id>_<secret>`; the id finds the row, the secret is checked against
the stored hash. A salted fast hash is enough here: the secret has 256 bits of entropy, so there is
nothing to brute-force, and a slow KDF would only cost CPU on every request (a gift to floods).

OAuth2 client credentials: the client id and its API token are exchanged for a short-lived access
token `scomm.at.<client id>.<expiry>.<hmac>`, signed with the service key. Either kind is sent as
`Authorization: Bearer ...`; both are re-checked against the client row, so revocation is immediate.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX = "scomm_"
ACCESS_PREFIX = "scomm.at."
SECRET_BYTES = 32
SALT_BYTES = 16
SCHEME = "sha256"


@dataclass(frozen=True)
class ParsedToken:
    client_id: int
    secret: str


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def format_token(client_id: int, secret: str) -> str:
    return f"{PREFIX}{client_id}_{secret}"


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.sha256(salt + secret.encode()).hexdigest()
    return f"{SCHEME}${salt.hex()}${digest}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    candidate = hashlib.sha256(salt + secret.encode()).hexdigest()
    return scheme == SCHEME and hmac.compare_digest(candidate, digest)


def parse_token(token: str) -> ParsedToken | None:
    """Split an API token into its client id and secret; None when it is not one."""
    if not token.startswith(PREFIX):
        return None
    client_id, sep, secret = token.removeprefix(PREFIX).partition("_")
    if not sep or not client_id.isdigit() or len(client_id) > 18 or not secret:  # 18 digits fit any DB integer
        return None
    return ParsedToken(int(client_id), secret)


def sign_access_token(key: bytes, client_id: int, expires: int) -> str:
    body = f"{client_id}.{expires}"
    mac = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    return f"{ACCESS_PREFIX}{body}.{mac}"


def read_access_token(key: bytes, token: str, now: float) -> int | None:
    """The client id of a valid, unexpired access token; None otherwise."""
    if not token.startswith(ACCESS_PREFIX):
        return None
    parts = token.removeprefix(ACCESS_PREFIX).split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    expected = hmac.new(key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts[2]) or int(parts[1]) < now:
        return None
    return int(parts[0])
