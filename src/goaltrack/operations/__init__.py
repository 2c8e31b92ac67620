"""The changes a command (or an import) can make to a client record: the only code that
changes one.

Each function mutates the record it is given (a private draft inside `Store.update`, or an
import's copy) and returns what the caller needs to report. Functions that need the instrument
registry take it as an argument. The store re-checks the model's invariants before anything
is written, so a change that breaks one is refused whole.

- `clients`: new_client_record, edit_client, replace_record
- `goals`: add_goal, add_goal_from_template, edit_goal, set_gas_levels, require_concern
- `entries`: log_value, record_administration, remove_entry, risk_entries_removed
- `episodes`: discharge, reopen, require_in_care (episodes of care)
- `care`: record_risk_review
- `plan`: add_objective, edit_objective, complete_objective, add_intervention,
  edit_intervention, record_screening, is_screening
- `dates`: the plausible-date rules the command line opts into (`check_dates=True`), and
  `before_start`, the note for an entry dated before the client's start
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
        risk_entries_removed,
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
        settle_target,
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

#: Where each public name lives. The package loads a module only when one of its names is
#: first used (PEP 562): `log` needs only `entries`, and the planning modules `goals` imports
#: (templates, drafts, intake) cost a single-entry write a tenth of its start-up.
_HOMES: dict[str, str] = {
    "CLIENT_CLEARABLE": "clients",
    "ClientEdit": "clients",
    "Discharge": "episodes",
    "EntryFields": "entries",
    "GOAL_CLEARABLE": "goals",
    "GoalFields": "goals",
    "INTERVENTION_CLEARABLE": "plan",
    "InterventionFields": "plan",
    "OBJECTIVE_CLEARABLE": "plan",
    "ObjectiveFields": "plan",
    "OpenGoals": "episodes",
    "add_goal": "goals",
    "add_goal_from_template": "goals",
    "add_intervention": "plan",
    "add_objective": "plan",
    "before_start": "dates",
    "complete_objective": "plan",
    "discharge": "episodes",
    "edit_client": "clients",
    "edit_goal": "goals",
    "edit_intervention": "plan",
    "edit_objective": "plan",
    "is_screening": "plan",
    "log_value": "entries",
    "new_client_record": "clients",
    "open_goals": "episodes",
    "record_administration": "entries",
    "record_risk_review": "care",
    "record_screening": "plan",
    "remove_entry": "entries",
    "reopen": "episodes",
    "replace_record": "clients",
    "require_concern": "goals",
    "require_in_care": "episodes",
    "risk_entries_removed": "entries",
    "set_gas_levels": "goals",
    "settle_target": "goals",
}

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
    "risk_entries_removed",
    "set_gas_levels",
    "settle_target",
]


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use (PEP 562), and keep the name here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, loaded or not."""
    return sorted(set(globals()) | set(_HOMES))
