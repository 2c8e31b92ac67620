"""Domain errors: each carries the exit code the CLI turns it into.

Messages never quote note text or file contents; they name files, fields and ids only.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_DATA = 3
#: The change was written, but printing its result (the new id) failed: do not retry it.
EXIT_OUTPUT_AFTER_WRITE = 5
#: A bug: never a traceback for a user; GOALTRACK_DEBUG=1 shows it.
EXIT_INTERNAL = 70
#: Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
#: The reader closed the pipe (128 + SIGPIPE), as Unix tools exit.
EXIT_BROKEN_PIPE = 141


class GoaltrackError(Exception):
    """Base of every error goaltrack raises on purpose."""

    exit_code: int = EXIT_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(GoaltrackError):
    """The user's input is wrong: exit code 1."""

    exit_code = EXIT_INPUT


class InvalidIdError(InputError):
    """A client id that does not match the allowed pattern."""


class ClientNotFoundError(InputError):
    """No file exists for the client id."""


class ClientExistsError(InputError):
    """`new-client` on an id that already has a file."""


class GoalNotFoundError(InputError):
    """The client has no goal with that number."""


class EntryNotFoundError(InputError):
    """The goal has no progress entry with that id."""


class InvalidValueError(InputError):
    """A value, date, kind or other field the model refuses."""


class FieldError(InvalidValueError):
    """One named field breaks one rule: shown as `FIELD: RULE` on the command line and as
    `line N, field FIELD: RULE` in an import, so a value gets the same answer on every path.

    The rule never quotes the value: it may be clinical text in the wrong column.
    """

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class InvalidClientIdError(FieldError, InvalidIdError):
    """A client id that breaks the id rule, as a field error."""


class DataError(GoaltrackError):
    """The data cannot be trusted or reached: exit code 3."""

    exit_code = EXIT_DATA


class CorruptFileError(DataError):
    """A client file that does not parse or validate; it is never overwritten."""


class SchemaTooNewError(DataError):
    """A file written by a newer goaltrack; it is read-only to this one."""


class StoragePermissionError(DataError):
    """A file or folder that cannot be read or written, or is unsafe (symlink, open mode)."""


class LockTimeoutError(DataError):
    """Another goaltrack process held the client's lock for too long."""


class WriteFailedError(DataError):
    """The operating system refused a step of the atomic write; the old file is intact."""


class OutputAfterWriteError(GoaltrackError):
    """The change is on disk, but printing its result failed: exit code 5, never "retry"."""

    exit_code = EXIT_OUTPUT_AFTER_WRITE


class WritesInterruptedError(GoaltrackError):
    """Ctrl-C (SIGINT) stopped a run of writes: exit 130, saying what was written."""

    exit_code = EXIT_INTERRUPTED


class InstrumentsFileError(DataError):
    """The user's instruments.toml does not parse or validate; it names the file and key."""


class ConfigFileError(DataError):
    """The home's config.toml does not parse or validate; it names the file and the key."""


class TemplatesFileError(DataError):
    """The user's templates.toml does not parse or validate; it names the file, the template
    and the field. Only commands that use templates read it, so it never stops the others."""
