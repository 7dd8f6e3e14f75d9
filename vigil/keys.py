"""The site's Ed25519 signing key for evidence packages (`vigil keys init`).

The private key stays under the data dir (mode 0600); the public key is what a recipient
needs to check a package offline, and its fingerprint is what they compare by phone.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from vigil.errors import InvalidInputError, NotFoundError

PRIVATE = "site-signing.key"
PUBLIC = "site-signing.pub"
RETIRED = "retired"  # public keys replaced by `vigil keys init --replace`


def fingerprint(public: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, the first 32 hex digits in groups of four."""
    digest = hashlib.sha256(raw_public(public)).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def init_keys(folder: Path, replace: bool = False) -> Ed25519PublicKey:
    """Make the site's key pair in ``folder``; refuses to replace one unless told to."""
    private_path = folder / PRIVATE
    if private_path.exists() and not replace:
        raise InvalidInputError(
            f"{private_path} exists: packages signed with it would no longer verify against "
            "a new key (use --replace to make one anyway)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    old_public = folder / PUBLIC
    if old_public.is_file():  # what it signed (audit checkpoints, packages) still checks
        old = load_public(old_public.read_bytes())
        (folder / RETIRED).mkdir(exist_ok=True)
        name = fingerprint(old).replace(":", "") + ".pub"
        old_public.replace(folder / RETIRED / name)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    public = key.public_key()
    (folder / PUBLIC).write_bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return public


def load_private(folder: Path) -> Ed25519PrivateKey:
    path = folder / PRIVATE
    if not path.is_file():
        raise NotFoundError(f"no signing key at {path}: run `vigil keys init` first")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInputError(f"{path} is not an Ed25519 private key")
    return key


def load_public(data: bytes) -> Ed25519PublicKey:
    """A public key from PEM, or from the raw 32 bytes in base64."""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(data.strip(), validate=True))
    except ValueError as exc:
        raise InvalidInputError(f"not an Ed25519 public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInputError("not an Ed25519 public key")
    return key


def site_public_keys(folder: Path) -> list[Ed25519PublicKey]:
    """The site's public key and those it replaced, newest first (none without a key)."""
    paths = [folder / PUBLIC, *sorted((folder / RETIRED).glob("*.pub"), reverse=True)]
    return [load_public(p.read_bytes()) for p in paths if p.is_file()]


def signed_by_any(keys: list[Ed25519PublicKey], signature: bytes, message: bytes) -> bool:
    return any(signature_holds(key, signature, message) for key in keys)


def signature_holds(public: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True
