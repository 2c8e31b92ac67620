"""Corrupt files: every truncated prefix and 1,000 random byte flips of an example file (issue 6).

A damaged file gives a clean one-line error with exit code 3, never a traceback, and is never
written over. Every cut inside a line is refused (a file must end with a newline), so
`value = 17` can never be read as `value = 1`; a cut exactly at a line end leaves a document
without its end-of-file line (`# end of c-1042`, schema 2): it is read, shown as possibly cut,
and never written over (issue 16, item 10). Only a flip that leaves a valid, marked file (a
digit, a letter of a note) loads as what it says.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.errors import CorruptFileError, DataError, GoaltrackError, SchemaTooNewError
from goaltrack.storage.store import Store
from helpers import EXAMPLES, HANG_GUARD, SECRET, assert_private, invoke, record

CLIENT = "c-1042"
FLIPS = 1000


def _example(home: Path) -> tuple[Store, Path, bytes]:
    """The example client c-1042, with the secret marker in a note and in the client notes."""
    store = Store(home)
    store.ensure_home()
    path = store.path_for(CLIENT)
    shutil.copyfile(EXAMPLES / "clients" / f"{CLIENT}.toml", path)
    text = path.read_text()
    text = text.replace('note = "Slept better', f'note = "{SECRET} Slept better', 1)
    text = text.replace('notes = "Prefers', f'notes = "{SECRET} Prefers', 1)
    assert text.count(SECRET) == 2
    path.write_text(text)
    path.chmod(0o600)
    return store, path, text.encode()


def _try_write(store: Store, path: Path) -> str:
    """Load the damaged file and try a change: 'refused', 'cut' (read, but without its
    end-of-file line, so never written over) or 'loaded'. Refusals change nothing."""
    damaged = path.read_bytes()
    try:
        loaded = store.read(CLIENT, note_cut=False)
    except DataError as error:
        assert SECRET not in error.message and "\n" not in error.message
        try:
            store.update(CLIENT, lambda r: setattr(r.client, "name", "Changed"))
        except GoaltrackError as again:
            assert again.exit_code == 3
        else:
            raise AssertionError("a file that does not load was written over")
        assert path.read_bytes() == damaged
        return "schema" if isinstance(error, SchemaTooNewError) else "refused"
    if loaded.whole:
        return "loaded"
    try:
        store.update(CLIENT, lambda r: setattr(r.client, "name", "Changed"))
    except GoaltrackError as refused:
        assert refused.exit_code == 3 and SECRET not in refused.message
    else:
        raise AssertionError("a file without its end-of-file line was written over")
    assert path.read_bytes() == damaged
    return "cut"


def _cli_check(runner: CliRunner, path: Path, outcome: str) -> None:
    """Through the CLI: exit 3 and one clean line when refused; a normal exit when loaded."""
    damaged = path.read_bytes()
    for args in (("show", CLIENT), ("log", CLIENT, "1", "5", "--date", "2026-10-01")):
        result = invoke(runner, *args)
        assert_private(result.stderr)
        if outcome == "refused":
            assert result.exit_code == 3, args
            assert result.stderr.count("\n") == 1 and result.stderr.startswith("goaltrack: error")
            assert path.read_bytes() == damaged
        else:
            assert result.exit_code in (0, 1, 3), (args, result.stderr)
        path.write_bytes(damaged)


@pytest.mark.slow
def test_every_truncated_prefix(home: Path, runner: CliRunner) -> None:
    """Each prefix is refused cleanly, unless it is a complete document cut at a line end."""
    store, path, original = _example(home)
    outcomes = {"refused": 0, "cut": 0, "loaded": 0, "schema": 0}
    for size in range(len(original)):
        prefix = original[:size]
        path.write_bytes(prefix)
        outcome = _try_write(store, path)
        outcomes[outcome] += 1
        if not prefix.endswith(b"\n"):
            assert outcome == "refused", f"a cut inside a line loaded (size {size})"
        if size % 10 == 0:
            _cli_check(runner, path, outcome)
    record("corrupt: truncated prefixes tried", len(original))
    record("corrupt: prefixes refused with exit 3", outcomes["refused"])
    record(
        "corrupt: prefixes cut at a line end, read as possibly cut (never written over)",
        outcomes["cut"],
    )
    record("corrupt: prefixes that load as a whole file", outcomes["loaded"])
    assert outcomes["schema"] == 0
    assert outcomes["loaded"] == 0  # the end-of-file line: no cut reads as a whole file
    assert outcomes["refused"] > 0.9 * len(original)


@pytest.mark.slow
def test_random_byte_flips(home: Path, runner: CliRunner) -> None:
    """1,000 random byte flips: each is refused cleanly or loads; none crashes the program."""
    store, path, original = _example(home)
    rng = random.Random(1042)
    outcomes = {"refused": 0, "cut": 0, "loaded": 0, "schema": 0}
    for flip in range(FLIPS):
        data = bytearray(original)
        position = rng.randrange(len(data))
        # half single-bit flips (the hardware kind, mostly still ASCII), half random bytes
        data[position] ^= (1 << rng.randrange(8)) if flip % 2 else rng.randrange(1, 256)
        path.write_bytes(bytes(data))
        outcome = _try_write(store, path)
        outcomes[outcome] += 1
        path.write_bytes(bytes(data))
        if flip % 2 == 0:
            _cli_check(runner, path, outcome)
    record("corrupt: random byte flips tried", FLIPS)
    record("corrupt: flips refused with exit 3", outcomes["refused"])
    record("corrupt: flips that still form a valid file (digit, letter)", outcomes["loaded"])
    record("corrupt: flips of the end-of-file line, read as possibly cut", outcomes["cut"])
    record("corrupt: flips read-only as a newer schema", outcomes["schema"])
    assert outcomes["refused"] > FLIPS // 2


def test_corrupt_file_in_a_real_process(home: Path) -> None:
    """A real `goaltrack log` on a damaged file: exit 3, one line, no secret, file unchanged."""
    store, path, original = _example(home)
    for damaged in (original[: len(original) // 2], original.replace(b"[client]", b"[client")):
        path.write_bytes(damaged)
        done = subprocess.run(
            [sys.executable, "-m", "goaltrack", "log", CLIENT, "1", "5"],
            capture_output=True,
            text=True,
            check=False,
            timeout=HANG_GUARD,
        )
        assert_private(done.stderr)
        assert done.returncode == 3
        assert done.stderr.count("\n") == 1
        assert path.read_bytes() == damaged
    try:
        path.write_bytes(b"")
        store.load(CLIENT)
    except CorruptFileError:
        pass
    else:
        raise AssertionError("an empty file loaded")
