"""One key for the client id in every machine format: `client` (issue 17); `id` is a deprecated
alias in `clients` rows for one release."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from helpers import EXAMPLES, invoke

#: Read commands whose rows are about a client, and the list in their JSON document.
ROW_COMMANDS = [
    (("clients",), "clients"),
    (("goals", "c-1042"), "goals"),
    (("progress", "c-1042"), "goals"),
    (("entries", "c-1042"), "entries"),
]
#: Commands about one client: their JSON names it once, under `client` at the top.
ONE_CLIENT = [command for command, _ in ROW_COMMANDS[1:]]


def _run(runner: CliRunner, *args: str) -> str:
    result = invoke(runner, "--home", str(EXAMPLES), *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", ONE_CLIENT)
def test_one_client_json_names_it_under_client(runner: CliRunner, command: tuple[str, ...]) -> None:
    """The JSON document of a one-client command is format_version 2 with `client` the id."""
    document = json.loads(_run(runner, *command, "-f", "json"))
    assert (document["format_version"], document["client"]) == (2, "c-1042")


def test_clients_json_rows_name_the_client_under_client(runner: CliRunner) -> None:
    """The `clients` JSON document is format_version 2 and each row carries `client`."""
    document = json.loads(_run(runner, "clients", "-f", "json"))
    assert document["format_version"] == 2
    ids = [row["client"] for row in document["clients"]]
    assert ids == ["c-1042", "c-2077", "c-3150", "c-4208"]


@pytest.mark.parametrize(("command", "key"), ROW_COMMANDS)
def test_every_jsonl_row_names_the_client_under_client(
    runner: CliRunner, command: tuple[str, ...], key: str
) -> None:
    """Each JSON Lines row of the command carries `client`."""
    rows = [json.loads(line) for line in _run(runner, *command, "-f", "jsonl").splitlines()]
    assert rows and all(isinstance(row["client"], str) for row in rows)


def test_clients_rows_keep_id_as_a_deprecated_alias(runner: CliRunner) -> None:
    """`clients` JSON rows carry `client` first and the same value under the old `id`."""
    rows = json.loads(_run(runner, "clients", "--status", "all", "-f", "json"))["clients"]
    assert [list(row)[:2] for row in rows] == [["client", "id"]] * len(rows)
    assert [row["client"] for row in rows] == [row["id"] for row in rows]
    assert [row["client"] for row in rows] == ["c-1042", "c-2077", "c-3150", "c-4208"]


def test_clients_csv_starts_with_client_then_id(runner: CliRunner) -> None:
    """The `clients` CSV header is the documented one: `client` first, then the alias `id`."""
    table = list(csv.reader(io.StringIO(_run(runner, "clients", "-f", "csv"))))
    assert table[0] == [
        *("client", "id", "name", "status", "created", "concerns", "goals"),
        *("active_goals", "last_entry", "risk_item9", "concern_severities", "attention"),
        "attention_worst",
    ]
    assert all(row[0] == row[1] for row in table[1:])


def test_export_rows_name_the_client_under_client(runner: CliRunner) -> None:
    """Tidy export rows (CSV) carry `client` too."""
    table = list(csv.DictReader(io.StringIO(_run(runner, "export", "c-1042", "-f", "csv"))))
    assert {row["client"] for row in table} == {"c-1042"}
