"""The fast TOML parser (rtoml, via `read_toml`) against the reference, the standard `tomllib`.

goaltrack reads client files with rtoml for speed (issue 10); `tomllib` stays the reference:
on every example, golden and hostile file (every truncated prefix of an example, thousands of
byte flips and insertions of TOML's own punctuation) both accept the same texts with the same
data and refuse the same texts, and a refusal names the file and a line.
"""

from __future__ import annotations

import contextlib
import math
import random
import tomllib
from pathlib import Path
from typing import Any

import pytest

from goaltrack.errors import CorruptFileError, DataError
from goaltrack.storage import layout, tomltext
from goaltrack.storage.fileformat import parse
from goaltrack.storage.tomltext import TomlError, read_toml
from helpers import EXAMPLES, REPO

GOLDEN = REPO / "tests" / "golden"
#: Every TOML file the project ships: the example caseload, instruments, and the golden files.
FILES = sorted({*REPO.joinpath("examples").rglob("*.toml"), *GOLDEN.glob("*.toml")})
#: Characters that make or break TOML syntax, inserted at random places.
PUNCTUATION = ['"', "'", "\\", "[", "]", "{", "}", "=", ",", "#", "\n", "\r", "\t", ".", "\x00"]


def _same(a: Any, b: Any) -> bool:
    """Equal data, where NaN equals NaN (TOML's `nan`) and types must match."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b) and not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _outcome(parser: Any, text: str) -> tuple[str, Any]:
    try:
        return "ok", parser(text)
    except (TomlError, tomllib.TOMLDecodeError):
        return "refused", None


def _agree(text: str) -> None:
    """read_toml and tomllib accept and refuse alike, with the same data."""
    mine, reference = _outcome(read_toml, text), _outcome(tomllib.loads, text)
    assert mine[0] == reference[0], (mine[0], reference[0], text[-80:])
    assert _same(mine[1], reference[1])


def _damaged_texts(original: bytes, count: int, seed: int) -> list[str]:
    """Every prefix of `original`, then `count` byte flips and punctuation insertions."""
    texts = []
    for cut in range(len(original) + 1):
        try:
            texts.append(original[:cut].decode("utf-8"))
        except UnicodeDecodeError:
            continue
    rng = random.Random(seed)
    for _ in range(count):
        data = bytearray(original)
        where = rng.randrange(len(data))
        if rng.random() < 0.5:
            data[where] = rng.randrange(256)
        else:
            data[where:where] = rng.choice(PUNCTUATION).encode()
        try:
            texts.append(bytes(data).decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return texts


def test_the_shipped_files_are_all_checked() -> None:
    """The reference comparison covers the examples and the golden files (not an empty list)."""
    assert len([path for path in FILES if path.parent == GOLDEN]) >= 14
    assert (EXAMPLES / "clients" / "c-1042.toml") in FILES


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_shipped_file_reads_as_tomllib_reads_it(path: Path) -> None:
    """Each example and golden file gives exactly tomllib's data."""
    text = path.read_text(encoding="utf-8")
    assert _same(read_toml(text), tomllib.loads(text))


@pytest.mark.slow
@pytest.mark.parametrize("client", ["c-1042", "c-2077"])
def test_damaged_files_are_refused_and_accepted_as_tomllib_does(client: str) -> None:
    """Prefixes, flips and insertions: the same verdict and data as tomllib, every time."""
    original = (EXAMPLES / "clients" / f"{client}.toml").read_bytes()
    for text in _damaged_texts(original, 3000, seed=len(client)):
        _agree(text)


@pytest.mark.parametrize(
    "text",
    [
        'a = "\\e"\n',  # TOML 1.1 escape: rtoml alone would read ESC
        'a = "\\x41"\n',  # TOML 1.1 escape
        "a = {b = 1,}\n",  # TOML 1.1 trailing comma in an inline table
        "a = {\nb = 1}\n",  # TOML 1.1 inline table over two lines
        "t = 10:30\n",  # TOML 1.1 time without seconds
        "\ufeffa = 1\n",  # a byte order mark
    ],
)
def test_what_only_toml_1_1_allows_is_refused_as_tomllib_refuses_it(text: str) -> None:
    """Constructs rtoml accepts beyond TOML 1.0 are refused, as the reference refuses them."""
    with pytest.raises(TomlError):
        read_toml(text)
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)


def test_valid_text_that_only_looks_like_toml_1_1_is_still_read() -> None:
    """A note with braces, a backslash-e and a clock time is read (by the reference)."""
    text = 'note = "at 10:30 {ok} C:\\\\example"\nd = 2024-01-01T10:30:00\n'
    assert read_toml(text) == tomllib.loads(text)
    assert read_toml(text)["note"] == "at 10:30 {ok} C:\\example"


def test_a_refusal_names_the_file_and_the_line() -> None:
    """An error from the fast parser names the file and the line, as tomllib's did."""
    original = (EXAMPLES / "clients" / "c-1042.toml").read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    broken = "".join([*lines[:6], "value = \n", *lines[6:]])
    with pytest.raises(CorruptFileError) as caught:
        parse(broken, "c-1042.toml")
    assert caught.value.message == (
        "c-1042.toml: not valid TOML (line 7); the file was left unchanged"
    )


@pytest.mark.slow
def test_parse_refuses_what_the_reference_refuses() -> None:
    """Through `parse`: every damaged text tomllib refuses is a CorruptFileError (exit 3)."""
    original = (EXAMPLES / "clients" / "c-1042.toml").read_bytes()
    for text in _damaged_texts(original, 500, seed=3):
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            with pytest.raises(CorruptFileError) as caught:
                parse(text, "c-1042.toml")
            assert caught.value.exit_code == 3
            assert caught.value.message.startswith("c-1042.toml: not valid TOML (line ")
            continue
        with contextlib.suppress(DataError):  # valid TOML the model refuses: as with tomllib
            parse(text, "c-1042.toml")


# --- a large file read goal by goal (tomltext.READ_IN_PARTS_FROM) ------------------------


@pytest.fixture
def in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every text goal by goal where its layout allows (not only files of 256 KB)."""
    monkeypatch.setattr(tomltext, "READ_IN_PARTS_FROM", 0)


def _reads_in_parts(text: str) -> bool:
    """True when `read_toml` takes the part-by-part path for this text."""
    starts = layout.goal_parts(text)
    return starts is not None and "goals" not in tomllib.loads(text[: starts[0]])


@pytest.mark.usefixtures("in_parts")
@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_shipped_file_read_in_parts_reads_as_tomllib_reads_it(path: Path) -> None:
    """Goal by goal, each example and golden file gives exactly tomllib's data."""
    text = path.read_text(encoding="utf-8")
    assert _same(read_toml(text), tomllib.loads(text))


def test_the_example_client_is_read_in_parts() -> None:
    """The part-by-part path is the one the example client's layout takes (not skipped)."""
    assert _reads_in_parts((EXAMPLES / "clients" / "c-1042.toml").read_text(encoding="utf-8"))


@pytest.mark.usefixtures("in_parts")
@pytest.mark.parametrize(
    "change",
    [
        ("[client]", "[client]\ngoals = 1"),  # the client part defines `goals` itself
        ("schema_version = 2", "goals = []\nschema_version = 2"),  # a top-level `goals`
        ("[[goals]]\nnumber = 2", "[[ goals ]]\nnumber = 2"),  # a goal the scan cannot see
        ("[[goals]]\nnumber = 2", "[[goals]] \nnumber = 2"),
        ("[[goals]]\nnumber = 2", "[goals]\nnumber = 2"),  # a table where an array was
        ("\n[[goals]]\n", "\n[client.extra]\nx = 1\n[[goals]]\n"),
        ("[[goals]]\nnumber = 2", "[[goals]]\nnumber = 2\n[client]\nname = 'x'"),
        ("[[goals]]\nnumber = 2", '[[goals]]\nnote = """\n[[goals]]\n"""\nnumber = 2'),
        ("[[goals]]\nnumber = 2", "[[goals]]\nnumber = 2\n[[goals.progress]]\n[goals.x]"),
        ("[[goals]]\nnumber = 2", "[[goals]]\r\nnumber = 2"),
    ],
)
def test_odd_layouts_read_in_parts_as_tomllib_reads_them(change: tuple[str, str]) -> None:
    """Hand edits that break a part's standing alone: the same verdict and data as tomllib."""
    text = (EXAMPLES / "clients" / "c-1042.toml").read_text(encoding="utf-8")
    old, new = change
    assert old in text
    _agree(text.replace(old, new, 1))


@pytest.mark.slow
@pytest.mark.usefixtures("in_parts")
@pytest.mark.parametrize("client", ["c-1042", "c-2077"])
def test_damaged_files_read_in_parts_are_refused_and_accepted_as_tomllib_does(
    client: str,
) -> None:
    """Prefixes, flips and insertions read goal by goal: tomllib's verdict and data."""
    original = (EXAMPLES / "clients" / f"{client}.toml").read_bytes()
    for text in _damaged_texts(original, 3000, seed=7 + len(client)):
        _agree(text)


def test_a_large_client_is_read_in_parts_as_tomllib_reads_it() -> None:
    """A client file past READ_IN_PARTS_FROM (12 goals x 400 entries) reads as tomllib."""
    text = (EXAMPLES / "clients" / "c-1042.toml").read_text(encoding="utf-8")
    body = text.split("\n# end of c-1042", 1)[0]
    head, first = body.split("\n[[goals]]\n", 1)
    entry = first[first.index("[[goals.progress]]") :].split("\n\n[[goals.", 1)[0]
    goal = first.split("\n\n[[goals.", 1)[0]
    goals = [
        goal.replace("number = 1", f"number = {number}", 1) + ("\n\n" + entry) * 400
        for number in range(1, 13)
    ]
    large = head + "".join(f"\n[[goals]]\n{g}\n" for g in goals)
    assert len(large) >= tomltext.READ_IN_PARTS_FROM
    assert _reads_in_parts(large)
    assert _same(read_toml(large), tomllib.loads(large))
