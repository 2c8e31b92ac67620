"""The changes a command (or an import) can make to a client record: the only code that
changes one.

Each function mutates the record it is given (a private draft inside `Store.update`, or an
import's copy) and returns what the caller needs to report. Functions that need the instrument
registry take it as an argument. The store re-checks the model's invariants before anything
is written, so a change that breaks one is refused whole.

- `clients`: new_client_record, edit_client, replace_record
- `goals`: add_goal, add_goal_from_template, edit_goal, set_gas_levels, require_concern
- `entries`: log_value, record_administration, remove_entry
- `episodes`: discharge, reopen, require_in_care (episodes of care)
- `care`: record_risk_review
- `plan`: add_objective, edit_objective, complete_objective, add_intervention,
  edit_intervention, record_screening, is_screening
- `dates`: the plausible-date rules the command line opts into (`check_dates=True`), and
  `before_start`, the note for an entry dated before the client's start
"""

from __future__ import annotations

from goaltrack.operations.care import record_risk_review
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
from goaltrack.operations.episodes import (
    Discharge,
    OpenGoals,
    discharge,
    open_goals,
    reopen,
    require_in_care,
)
from goaltrack.operations.goals import (
    GOAL_CLEARABLE,
    GoalFields,
    add_goal,
    add_goal_from_template,
    edit_goal,
    require_concern,
    set_gas_levels,
)
from goaltrack.operations.plan import (
    INTERVENTION_CLEARABLE,
    OBJECTIVE_CLEARABLE,
    InterventionFields,
    ObjectiveFields,
    add_intervention,
    add_objective,
    complete_objective,
    edit_intervention,
    edit_objective,
    is_screening,
    record_screening,
)

__all__ = [
    "CLIENT_CLEARABLE",
    "GOAL_CLEARABLE",
    "INTERVENTION_CLEARABLE",
    "OBJECTIVE_CLEARABLE",
    "ClientEdit",
    "Discharge",
    "EntryFields",
    "GoalFields",
    "InterventionFields",
    "ObjectiveFields",
    "OpenGoals",
    "add_goal",
    "add_goal_from_template",
    "add_intervention",
    "add_objective",
    "before_start",
    "complete_objective",
    "discharge",
    "edit_client",
    "edit_goal",
    "edit_intervention",
    "edit_objective",
    "is_screening",
    "log_value",
    "new_client_record",
    "open_goals",
    "record_administration",
    "record_risk_review",
    "record_screening",
    "remove_entry",
    "reopen",
    "replace_record",
    "require_concern",
    "require_in_care",
    "set_gas_levels",
]
