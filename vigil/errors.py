"""Errors an operator sees: one clear line, never a traceback."""


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
