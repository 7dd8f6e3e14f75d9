"""Errors an operator sees: one clear line, never a traceback."""


class VigilError(Exception):
    """Base class for expected, user-facing failures."""


class InvalidInputError(VigilError):
    """The caller passed something Vigil cannot accept (bad name, bad date, bad file)."""


class CorruptVideoError(InvalidInputError):
    """A file that claims to be video cannot be decoded."""


class ModelUnavailableError(VigilError):
    """A model's weights are not installed or not configured."""
