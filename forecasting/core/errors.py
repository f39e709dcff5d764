"""Project exceptions: errors a user can cause, with messages a treasurer understands."""

from __future__ import annotations


class CashpilotError(Exception):
    """Base of every error the UI and CLI show as a message, never as a traceback."""


class InputError(CashpilotError):
    """A file, a setting or an argument the user gave is not usable as it is."""


class ColumnsMissing(InputError):
    """A file has no column for some required fields: the CLI names --map, the Data page its column choices."""

    def __init__(self, message: str, file_name: str, fields: tuple[str, ...]) -> None:
        """Keep the file and the fields missing, for a page to say it in its own words."""
        super().__init__(message)
        self.file_name, self.fields = file_name, fields


class DatesUnclear(InputError):
    """A file's dates cannot be read without being told their format: the CLI names --date-format, the Data page
    its "Dates in the file" choice."""

    MONTH_FIRST, AMBIGUOUS, MIXED, UNREADABLE = "month_first", "ambiguous", "mixed", "unreadable"

    def __init__(self, message: str, file_name: str, why: str, column: str = "", value: str = "") -> None:
        """Keep why (one of the four above), and the column and value that show it, for a page to say it."""
        super().__init__(message)
        self.file_name, self.why, self.column, self.value = file_name, why, column, value


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
