"""The changes a command (or an import) can make to a client record: the only code that
changes one.

Each function mutates the record it is given (a private draft inside `Store.update`, or an
import's copy) and returns what the caller needs to report. Functions that need the instrument
registry take it as an argument. The store re-checks the model's invariants before anything
is written, so a change that breaks one is refused whole.

- `clients`: new_client_record, edit_client, replace_record
- `goals`: add_goal, edit_goal, set_gas_levels
- `entries`: log_value, record_administration, remove_entry
- `dates`: the plausible-date rules the command line opts into (`check_dates=True`), and
  `before_start`, the note for an entry dated before the client's start
"""

from __future__ import annotations

from goaltrack.operations.clients import (
    CLIENT_CLEARABLE,
    ClientEdit,
    edit_client,
    new_client_record,
    replace_record,
)
from goaltrack.operations.dates import before_start
from goaltrack.operations.entries import (
    EntryFields,
    log_value,
    record_administration,
    remove_entry,
)
from goaltrack.operations.goals import (
    GOAL_CLEARABLE,
    GoalFields,
    add_goal,
    edit_goal,
    set_gas_levels,
)

__all__ = [
    "CLIENT_CLEARABLE",
    "GOAL_CLEARABLE",
    "ClientEdit",
    "EntryFields",
    "GoalFields",
    "add_goal",
    "before_start",
    "edit_client",
    "edit_goal",
    "log_value",
    "new_client_record",
    "record_administration",
    "remove_entry",
    "replace_record",
    "set_gas_levels",
]
