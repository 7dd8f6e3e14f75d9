"""Errors an operator sees: one clear line, never a traceback."""


class VigilError(Exception):
    """Base class for expected, user-facing failures."""


class InvalidInputError(VigilError):
    """The caller passed something Vigil cannot accept (bad name, bad date, bad file)."""


class NotFoundError(InvalidInputError):
    """The caller named something Vigil does not have (a conversation, a frame)."""


class CorruptVideoError(InvalidInputError):
    """A file that claims to be video cannot be decoded."""


class ModelUnavailableError(VigilError):
    """A model's weights are not installed or not configured."""


class ModelFailureError(VigilError):
    """A loaded model failed while answering (context overflow, decoding error)."""
