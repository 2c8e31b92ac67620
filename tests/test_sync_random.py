"""A seeded random run of 600 operations over three clones of one remote: no entry lost, no
invalid file, and every concurrent edit of one field reported as a conflict."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.storage.check import check_home
from goaltrack.storage.findings import PROBLEM
from goaltrack.storage.store import Store
from goaltrack.sync import repo
from sync_helpers import bare_remote, client_document, entry_ids, ok, private_git

OPERATIONS = 600
START = date(2027, 1, 1)
CLIENTS = ("c-1", "c-2")
#: Fields edited at random: (client, field as the merge names it, command arguments).
FIELDS = [
    (client, where, args)
    for client in CLIENTS
    for where, args in (
        ("client.name", ("edit-client", client, "--name")),
        ("goals[1].title", ("edit-goal", client, "1", "--title")),
        ("goals[1].due", ("edit-goal", client, "1", "--due")),
    )
]


@dataclass
class Edit:
    """One edit of a field, made on one clone."""

    number: int
    clone: int
    client: str
    where: str


@dataclass
class World:
    """What the test knows: entries written, edits each clone has seen, pairs to report."""

    known: list[set[int]]  # per clone: the edits it has seen (made or pulled)
    remote: set[int] = field(default_factory=set)
    edits: list[Edit] = field(default_factory=list)
    entries: set[str] = field(default_factory=set)
    pending: set[tuple[int, int]] = field(default_factory=set)  # concurrent pairs to report
    concurrent_fields: set[tuple[str, str]] = field(default_factory=set)
    reported: int = 0


def edit(world: World, clone: int, client: str, where: str) -> None:
    """Note an edit: it is concurrent with every edit of the field this clone has not seen."""
    number = len(world.edits)
    for other in world.edits:
        if (other.client, other.where) == (client, where) and other.number not in world.known[
            clone
        ]:
            world.pending.add((other.number, number))
            world.concurrent_fields.add((client, where))
    world.edits.append(Edit(number, clone, client, where))
    world.known[clone].add(number)


def synced(world: World, clone: int, result: repo.SyncResult) -> None:
    """A sync pulls then pushes: the clone and the remote now know the same edits; each
    reported conflict settles the pending pairs of its field that the clone now knows."""
    world.known[clone] |= world.remote
    world.remote |= world.known[clone]
    for client, fields in result.conflicts.items():
        for where in fields:
            assert (client, where) in world.concurrent_fields, (client, where)
            world.reported += 1
            world.pending = {
                (a, b)
                for a, b in world.pending
                if not (
                    world.edits[a].where == where
                    and world.edits[a].client == client
                    and a in world.known[clone]
                    and b in world.known[clone]
                )
            }


@pytest.mark.slow
def test_random_work_on_three_clones_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """600 random writes and syncs: every entry kept once, every file valid, every
    concurrent edit of one field reported as a conflict, and all clones end identical."""
    private_git(tmp_path, monkeypatch)
    chance = random.Random(15)
    remote = bare_remote(tmp_path)
    homes = [tmp_path / f"clone{n}" for n in range(3)]
    for client in CLIENTS:
        ok(runner, homes[0], "new-client", client, "--name", "start")
        ok(
            runner,
            homes[0],
            "add-goal",
            client,
            "symptom-reduction",
            "start",
            "--measure",
            "phq9",
            "--baseline",
            "19",
            "--target",
            "9",
        )
    for home in homes:
        ok(runner, home, "sync", "init", str(remote))
        ok(runner, home, "sync")
    world = World(known=[set() for _ in homes])
    counter = 0
    for _ in range(OPERATIONS):
        clone = chance.randrange(len(homes))
        home = homes[clone]
        client = chance.choice(CLIENTS)
        roll = chance.random()
        if roll < 0.40:
            goals = [g["number"] for g in client_document(home, client)["goals"]]
            value = str(chance.randint(0, 10))
            entry = ok(runner, home, "log", client, str(chance.choice(goals)), value).stdout.strip()
            world.entries.add(entry)
        elif roll < 0.65:
            client, where, args = chance.choice(FIELDS)
            counter += 1
            # every value new, so no edit can restore an older value by chance
            value = (
                (START + timedelta(days=counter)).isoformat()
                if where.endswith("due")
                else f"v{counter}"
            )
            ok(runner, home, *args, value)
            edit(world, clone, client, where)
        elif roll < 0.70:
            ok(runner, home, "add-goal", client, "coping", f"goal {counter}")
        else:
            synced(world, clone, repo.sync(home))
        for client_id in CLIENTS:
            Store(home).read(client_id)  # every file valid after every operation
    for _ in range(2):
        for clone, home in enumerate(homes):
            synced(world, clone, repo.sync(home))
    documents = [[client_document(home, c) for c in CLIENTS] for home in homes]
    assert documents[0] == documents[1] == documents[2]
    found = [entry for doc in documents[0] for entry in entry_ids(doc)]
    assert sorted(found) == sorted(world.entries)  # none lost, none twice
    assert world.pending == set()
    assert world.reported > 0
    for home in homes:
        problems = [f for f in check_home(home).findings if f.status == PROBLEM]
        assert {f.check for f in problems} <= {"conflict"}, problems
