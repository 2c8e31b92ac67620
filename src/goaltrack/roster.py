"""The `clients` list as plain data, from each client's derived facts (storage/facts.py).

Light (no Pydantic): a warm `clients` builds its rows from the caseload index without loading
the models. views.client_rows builds the same rows from records through the same facts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

#: The key of the client id in every machine format (`clients`, `progress`, `goals`, ...).
CLIENT_KEY = "client"
#: The older key of the client id in `clients` rows: still emitted, deprecated (docs/formats.md).
DEPRECATED_CLIENT_KEY = "id"

CLIENT_FIELDS = [
    CLIENT_KEY,
    DEPRECATED_CLIENT_KEY,
    "name",
    "status",
    "created",
    "concerns",
    "goals",
    "active_goals",
    "last_entry",
]


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def client_row(facts: dict[str, Any]) -> dict[str, Any]:
    """One line of the `clients` list, with the date of an open PHQ-9 item-9 flag.

    The id is under `client`, as in every other machine format, and under the deprecated `id`
    for one release so that scripts written against format_version 1 keep working."""
    risk = facts["risk_item9"]
    return {
        CLIENT_KEY: facts["id"],
        DEPRECATED_CLIENT_KEY: facts["id"],
        "name": facts["name"],
        "status": facts["status"],
        "created": _day(facts["created"]),
        "concerns": [concern["name"] for concern in facts["concerns"]],
        "goals": facts["goals"],
        "active_goals": facts["active_goals"],
        "last_entry": _day(facts["last_entry"]),
        "risk_item9": None if risk is None else _day(risk["date"]),
        "concern_severities": [
            f"{concern['name']}:{concern['severity']}" for concern in facts["concerns"]
        ],
    }


def risk_lines(shown: list[dict[str, Any]]) -> list[str]:
    """The RISK line of each shown client with an open item-9 flag, in the order shown."""
    return [
        f"RISK: {facts['id']}: PHQ-9 item 9 endorsed on {facts['risk_item9']['date']} — "
        f"see `goaltrack show {facts['id']}`"
        for facts in shown
        if facts["risk_item9"] is not None
    ]
