"""Errors an operator sees: one clear line, never a traceback."""

import errno


class VigilError(Exception):
    """Base class for expected, user-facing failures."""


class ConfigError(VigilError):
    """The site's settings (vigil.toml, VIGIL_* variables) name an unknown key or a bad value."""


class InvalidInputError(VigilError):
    """The caller passed something Vigil cannot accept (bad name, bad date, bad file)."""


class NotFoundError(InvalidInputError):
    """The caller named something Vigil does not have (a conversation, a frame)."""


class NotAllowedError(VigilError):
    """The user's role may not do this (approve, export, read the audit log)."""


class StateError(InvalidInputError):
    """The thing exists but is not in a state that allows this (an approved report edited)."""


class CorruptVideoError(InvalidInputError):
    """A file that claims to be video cannot be decoded."""


class ModelUnavailableError(VigilError):
    """A model's weights are not installed or not configured."""


class ModelFailureError(VigilError):
    """A loaded model failed while answering (context overflow, decoding error)."""


class IngestFailedError(VigilError):
    """Ingest stopped on an unexpected failure; what it stored before is kept or removed."""


class ModelBusyError(VigilError):
    """The local model stayed busy with other questions for longer than the caller waits."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Cancelled(Exception):  # noqa: N818 - a state, not a failure: nobody waits any more
    """The asker left (or the server stops): the work was stopped on purpose."""


class StorageError(VigilError):
    """The data dir (or the database) refuses a write: it is full, or cannot be written."""

    def __init__(self, message: str, full: bool) -> None:
        super().__init__(message)
        self.full = full


# (errnos, words a database driver says it with, whether it is full, what to do)
_REFUSALS = (
    ({errno.ENOSPC, errno.EDQUOT}, ("disk is full", "no space left"), True, "free some space"),
    (
        {errno.EROFS, errno.EACCES, errno.EPERM},
        ("readonly database", "read-only file system", "read-only transaction"),
        False,
        "check the mount and its permissions",
    ),
)


def storage_error(exc: BaseException) -> StorageError | None:
    """``exc`` (or an error that caused it) as storage refusing a write, with a reason a
    person can act on; None for any other failure. Database drivers say it only in words."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        code = cause.errno if isinstance(cause, OSError) else None
        where = f" ({cause.filename})" if isinstance(cause, OSError) and cause.filename else ""
        text = str(cause).lower()
        for codes, words, full, todo in _REFUSALS:
            if code in codes or any(w in text for w in words):
                what = "no space is left" if full else "nothing can be written"
                return StorageError(f"{what} where Vigil keeps its data{where}: {todo}", full)
        cause = cause.__cause__ or cause.__context__
    return None
