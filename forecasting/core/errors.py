"""Project exceptions: errors a user can cause, with messages a treasurer understands."""

from __future__ import annotations


class CashpilotError(Exception):
    """Base of every error the UI and CLI show as a message, never as a traceback."""


class InputError(CashpilotError):
    """A file, a setting or an argument the user gave is not usable as it is."""


class DatabaseBusy(CashpilotError):
    """Another process holds the database for writing and did not release it in time."""


class DatabaseError(CashpilotError):
    """The database file cannot be opened or is not a cashpilot database."""


class KeyRepeated(CashpilotError):
    """A write would give two rows the same key (e.g. one invoice twice in a source); it was rolled back."""


class OutOfMemory(CashpilotError):
    """The work needed more memory than the machine or the configured limit gives; nothing was changed."""


class AccessDenied(CashpilotError):
    """The signed-in person's role does not allow this change (a viewer importing, an editor resetting)."""
