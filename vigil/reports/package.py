"""Evidence packages: a zip of the report, its frames, clips and audit entries, with a
manifest of every file's SHA-256 signed by the site's Ed25519 key; and the offline check
that names every file changed, added or removed, and a signature that does not hold.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, Field

from vigil.audit import canonical
from vigil.errors import InvalidInputError
from vigil.keys import fingerprint, load_public, raw_public, signature_holds

FORMAT = "vigil-evidence-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_MEMBER_BYTES = 4 << 30


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PackagedFile(BaseModel):
    sha256: str
    bytes: int


class PackageKey(BaseModel):
    algorithm: Literal["Ed25519"] = "Ed25519"
    public_key: str = Field(description="the raw 32-byte public key, base64")
    fingerprint: str


class PackagedIncident(BaseModel):
    id: str
    version: int
    status: str
    title: str
    report_hash: str


class PackageAbout(BaseModel):
    """What a package says of itself, beside its files and key."""

    incident: PackagedIncident
    site: str
    created: str = Field(description="when, ISO-8601 in the site's zone")
    created_by: str
    redaction: dict[str, Any] = Field(description="applied, and per image and clip what")
    audit_checkpoint: dict[str, Any] | None = Field(
        None, description="the audit chain's signed head as the package was made"
    )


class Manifest(PackageAbout):
    """manifest.json: every file's SHA-256, signed (manifest.sig) by the site's key."""

    format: Literal["vigil-evidence-package/1"] = FORMAT
    files: dict[str, PackagedFile]
    key: PackageKey


def write_package(
    out: Path, files: dict[str, bytes], about: PackageAbout, key: Ed25519PrivateKey
) -> Manifest:
    """Write ``files`` (archive name -> bytes) with a signed manifest holding ``about``;
    the manifest. Written to a temporary name first, so a failure leaves no package."""
    public = key.public_key()
    manifest = Manifest(
        **about.model_dump(),
        files={
            name: PackagedFile(sha256=sha256(data), bytes=len(data)) for name, data in files.items()
        },
        key=PackageKey(
            public_key=base64.b64encode(raw_public(public)).decode(),
            fingerprint=fingerprint(public),
        ),
    )
    manifest_bytes = canonical(manifest.model_dump(mode="json", exclude_none=True))
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
    hash; each file changed, added, removed or stored twice is named. A package that does
    not open (a changed byte in the zip's own structure) is tampered too. OSError only for
    a file that cannot be read at all."""
    try:
        return _verify(path, trusted)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        # BadZipFile (a CRC or header that no longer matches), zlib.error (a corrupt
        # stream), EOFError (cut short), NotImplementedError (an unknown method byte)
        why = f"the package does not open as a zip ({type(exc).__name__}: {exc})"
        return _unchecked(trusted, [why])


def _unchecked(trusted: Ed25519PublicKey | None, problems: list[str]) -> PackageCheck:
    """The check of a package whose manifest could not be read."""
    return PackageCheck("?", 0, "?", None if trusted is None else False, problems)


def _verify(path: Path, trusted: Ed25519PublicKey | None) -> PackageCheck:
    with zipfile.ZipFile(path) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        names = [i.filename for i in infos]
        counts = Counter(names)
        problems = [
            f"{name}: stored {n} times (an unzip tool would show another copy than the one checked)"
            for name, n in counts.items()
            if n > 1
        ]
        if MANIFEST not in counts:
            problems.append(f"{MANIFEST} is missing: not an evidence package, or it was removed")
            return _unchecked(trusted, problems)
        manifest_bytes = archive.read(MANIFEST)
        try:
            manifest = Manifest.model_validate_json(manifest_bytes)
            named_key = load_public(manifest.key.public_key.encode())
        except (ValueError, InvalidInputError) as exc:  # ValidationError is a ValueError
            problems.append(f"{MANIFEST} is unreadable ({type(exc).__name__})")
            return _unchecked(trusted, problems)
        listed = manifest.files
        key = trusted or named_key
        signed = False
        if trusted is not None and raw_public(trusted) != raw_public(named_key):
            problems.append(
                f"the package names another key ({fingerprint(named_key)}) than the trusted "
                f"one ({fingerprint(trusted)})"
            )
        if SIGNATURE not in counts:
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
            if name not in counts:
                problems.append(f"{name}: removed")
                continue
            for info in (i for i in infos if i.filename == name):  # every copy of it
                if info.file_size > MAX_MEMBER_BYTES:
                    problems.append(f"{name}: too large to check")
                elif sha256(archive.read(info)) != expected.sha256:
                    problems.append(f"{name}: changed")
        for name in counts:
            if name not in listed and name not in (MANIFEST, SIGNATURE):
                problems.append(f"{name}: added")
    return PackageCheck(
        incident=manifest.incident.id,
        files=len(listed),
        fingerprint=fingerprint(named_key),
        signed_by_trusted_key=None if trusted is None else signed,
        problems=list(dict.fromkeys(problems)),
    )
