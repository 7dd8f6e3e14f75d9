"""Evidence packages: a zip of the report, its frames, clips and audit entries, with a
manifest of every file's SHA-256 signed by the site's Ed25519 key; and the offline check
that names every file changed, added or removed, and a signature that does not hold.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from vigil.audit import canonical
from vigil.errors import InvalidInputError
from vigil.reports.keys import fingerprint, load_public, raw_public, signature_holds

FORMAT = "vigil-evidence-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_MEMBER_BYTES = 4 << 30


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_package(
    out: Path, files: dict[str, bytes], about: dict[str, Any], key: Ed25519PrivateKey
) -> dict[str, Any]:
    """Write ``files`` (archive name -> bytes) with a signed manifest holding ``about``;
    the manifest. Written to a temporary name first, so a failure leaves no package."""
    public = key.public_key()
    manifest = {
        "format": FORMAT,
        **about,
        "files": {
            name: {"sha256": sha256(data), "bytes": len(data)} for name, data in files.items()
        },
        "key": {
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(raw_public(public)).decode(),
            "fingerprint": fingerprint(public),
        },
    }
    manifest_bytes = canonical(manifest)
    partial = out.with_name(out.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            stored = name.endswith((".jpg", ".mkv", ".pdf", ".png"))
            archive.writestr(name, data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, base64.b64encode(key.sign(manifest_bytes)) + b"\n")
    partial.replace(out)
    return manifest


@dataclass(frozen=True)
class PackageCheck:
    """What `verify_package` found; ``problems`` is empty when the package is intact."""

    incident: str
    files: int
    fingerprint: str
    signed_by_trusted_key: bool | None
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_package(path: Path, trusted: Ed25519PublicKey | None = None) -> PackageCheck:
    """Check a package offline: the manifest's signature (by ``trusted`` where given, else by
    the key the manifest names, which proves integrity but not origin), then every file's
    hash; each file changed, added or removed is named."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidInputError(f"{path.name} is not a readable evidence package ({exc})") from None
    with archive:
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
        if MANIFEST not in names:
            raise InvalidInputError(f"{path.name} has no {MANIFEST}: not an evidence package")
        manifest_bytes = archive.read(MANIFEST)
        try:
            manifest = json.loads(manifest_bytes)
            listed: dict[str, dict] = manifest["files"]
            named_key = load_public(manifest["key"]["public_key"].encode())
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInputError(f"{path.name}: the manifest is unreadable ({exc})") from None
        problems: list[str] = []
        key = trusted or named_key
        signed = False
        if trusted is not None and raw_public(trusted) != raw_public(named_key):
            problems.append(
                f"the package names another key ({fingerprint(named_key)}) than the trusted "
                f"one ({fingerprint(trusted)})"
            )
        if SIGNATURE not in names:
            problems.append(f"{SIGNATURE} was removed: the manifest is unsigned")
        else:
            try:
                signature = base64.b64decode(archive.read(SIGNATURE).strip(), validate=True)
            except ValueError:
                signature = b""
            signed = signature_holds(key, signature, manifest_bytes)
            if not signed:
                problems.append(
                    f"the signature does not hold: {MANIFEST} was changed or signed by another key"
                )
        for name, expected in listed.items():
            if name not in names:
                problems.append(f"{name}: removed")
                continue
            info = archive.getinfo(name)
            if info.file_size > MAX_MEMBER_BYTES:
                problems.append(f"{name}: too large to check")
                continue
            if sha256(archive.read(name)) != expected.get("sha256"):
                problems.append(f"{name}: changed")
        for name in names:
            if name not in listed and name not in (MANIFEST, SIGNATURE):
                problems.append(f"{name}: added")
    return PackageCheck(
        incident=str(manifest.get("incident", {}).get("id", "?")),
        files=len(listed),
        fingerprint=fingerprint(named_key),
        signed_by_trusted_key=None if trusted is None else signed,
        problems=problems,
    )
