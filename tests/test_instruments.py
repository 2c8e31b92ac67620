"""The instrument registry: built-in facts, Jacobson & Truax, and the user's instruments.toml."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from goaltrack.errors import InstrumentsFileError, InvalidValueError
from goaltrack.measures.instruments import BUILTINS, DEFAULT_MEASURE, Direction, load_registry
from goaltrack.records.model import GoalKind

SLEEP = """
[sleep]
name = "Sleep quality diary"
min = 0
max = 10
better = "higher"
cutoff = 5
reliable_change = 2
source = "Our clinic"

[[sleep.bands]]
low = 0
high = 4
label = "poor"

[[sleep.bands]]
low = 5
high = 10
label = "fair or good"

[minutes]
name = "Minutes of exposure"
min = 0
max = 600
integer = false
better = "higher"
sd = 40
reliability = 0.84
"""


def write(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "instruments.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtins_are_the_issue_list() -> None:
    """The shipped registry: the ten of the first issue, then PHQ-2, GAD-2, PHQ-15 (issue 13)."""
    assert list(BUILTINS) == [
        "phq9", "gad7", "pcl5", "rses", "core10", "gbo", "suds", "ors", "gas", "rating",
        "phq2", "gad2", "phq15",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "low", "high", "better", "cutoff", "rc"),
    [
        ("phq9", 0, 27, Direction.LOWER, 10, 6),
        ("gad7", 0, 21, Direction.LOWER, 10, 4),
        ("pcl5", 0, 80, Direction.LOWER, 33, None),
        ("rses", 0, 30, Direction.HIGHER, None, None),
        ("core10", 0, 40, Direction.LOWER, 11, None),
        ("gbo", 0, 10, Direction.HIGHER, None, None),
        ("suds", 0, 100, Direction.LOWER, None, None),
        ("ors", 0, 40, Direction.HIGHER, 25, None),
        ("gas", -2, 2, Direction.HIGHER, None, None),
        ("rating", 0, 10, Direction.HIGHER, None, None),
    ],
)
def test_builtin_facts(
    key: str, low: float, high: float, better: Direction, cutoff: float | None, rc: float | None
) -> None:
    """Range, direction, cutoff and reliable change match the reference table."""
    instrument = BUILTINS[key]
    assert (instrument.min, instrument.max, instrument.better) == (low, high, better)
    assert instrument.cutoff == cutoff
    assert instrument.reliable_change_points() == rc
    assert instrument.source, "every built-in cites its source"


def test_unconfirmed_values_are_left_out_and_said_so() -> None:
    """Values that could not be confirmed are absent, with a note saying why."""
    assert BUILTINS["pcl5"].loinc is None and "LOINC" in (BUILTINS["pcl5"].note or "")
    assert BUILTINS["core10"].reliable_change is None and BUILTINS["core10"].note
    assert BUILTINS["gbo"].reliable_change is None and BUILTINS["gbo"].note
    assert BUILTINS["ors"].reliable_change is None and BUILTINS["ors"].note


def test_only_free_forms_are_administered_item_by_item() -> None:
    """PHQ-9, GAD-7, PCL-5, RSES, PHQ-2, GAD-2 take items; the rest (ORS, CORE-10, PHQ-15) not."""
    assert [key for key, i in BUILTINS.items() if i.items] == [
        "phq9", "gad7", "pcl5", "rses", "phq2", "gad2",
    ]  # fmt: skip


def test_every_goal_kind_has_a_known_default_measure() -> None:
    """Each goal kind defaults to a built-in (docs/design.md table)."""
    assert set(DEFAULT_MEASURE) == set(GoalKind)
    assert DEFAULT_MEASURE[GoalKind.SYMPTOM_REDUCTION] == "phq9"
    assert DEFAULT_MEASURE[GoalKind.TRAUMA_RESOLUTION] == "pcl5"
    assert DEFAULT_MEASURE[GoalKind.SELF_ESTEEM] == "rses"
    assert all(key in BUILTINS for key in DEFAULT_MEASURE.values())


def test_user_instruments_merge_with_builtins(home: Path) -> None:
    """instruments.toml adds its scales after the built-ins, with their own facts."""
    path = write(home, SLEEP)
    registry = load_registry(home)
    assert [i.key for i in registry.all()][-2:] == ["minutes", "sleep"]
    sleep = registry.require("sleep")
    assert (sleep.min, sleep.max, sleep.cutoff, sleep.reliable_change) == (0, 10, 5, 2)
    assert sleep.band_for(3) == "poor" and sleep.band_for(7) == "fair or good"
    assert sleep.origin == str(path) and not sleep.items
    assert registry.is_builtin("phq9") and not registry.is_builtin("sleep")


def test_jacobson_truax_reliable_change_from_sd_and_reliability(home: Path) -> None:
    """RC = 1.96 * sqrt(2) * SD * sqrt(1 - r): SD 40, r .84 gives 44.35 points."""
    write(home, SLEEP)
    minutes = load_registry(home).require("minutes")
    expected = 1.96 * math.sqrt(2 * (40 * math.sqrt(1 - 0.84)) ** 2)
    assert minutes.reliable_change_points() == pytest.approx(expected)
    assert round(expected, 2) == 44.35


def test_no_user_file_means_builtins_only(home: Path) -> None:
    """Without instruments.toml the registry is exactly the built-ins."""
    registry = load_registry(home)
    assert [i.key for i in registry.all()] == list(BUILTINS)
    assert registry.path is None


def test_unknown_key_lists_known_ones(home: Path) -> None:
    """Asking for an unknown instrument names the known keys."""
    with pytest.raises(InvalidValueError, match=r"not a known instrument; known: phq9, gad7"):
        load_registry(home).require("bdi")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[sleep\nname = 1", r"not valid TOML \(line 1\)"),
        ('[phq9]\nname = "Mine"\nmin = 0\nmax = 30\nbetter = "lower"\n', "is a built-in"),
        ('[sleep]\nname = "S"\nmin = 0\nmax = 10\nbetter = "up"\n', r"\[sleep\]: better"),
        ('[sleep]\nname = "S"\nmin = 10\nmax = 0\nbetter = "higher"\n', "min must be below max"),
        ('[sleep]\nname = "S"\nmax = 10\nbetter = "higher"\n', r"\[sleep\]: min: Field required"),
        ('[sleep]\nname = "S"\nmin = 0\nmax = 10\nbetter = "higher"\nitems = true\n', "unknown"),
        ('[sleep]\nname = "S"\nmin = 0\nmax = 10\nbetter = "higher"\ncutoff = 11\n', "cutoff"),
        ('sleep = "a scale"\n', r"\[sleep\] must be a table"),
        ('["Sleep Scale"]\nname = "S"\nmin = 0\nmax = 1\nbetter = "higher"\n', "instrument key"),
        (
            '[sleep]\nname = "S"\nmin = 0\nmax = 10\nbetter = "higher"\n'
            "[[sleep.bands]]\nlow = 0\nhigh = 12\nlabel = 'x'\n",
            "outside",
        ),
    ],
)
def test_malformed_user_file_names_the_file_and_problem(
    home: Path, text: str, problem: str
) -> None:
    """A bad instruments.toml is a data error naming the file, the table and what is wrong."""
    path = write(home, text)
    with pytest.raises(InstrumentsFileError, match=problem) as caught:
        load_registry(home).check()
    assert caught.value.message.startswith(str(path))
    assert caught.value.exit_code == 3


def test_example_caseload_fits_its_instruments() -> None:
    """Every goal of the shipped example caseload passes the instrument checks."""
    from goaltrack.measures.scoring import check_goal
    from goaltrack.storage.store import Store

    examples = Path(__file__).resolve().parent.parent / "examples" / "caseload"
    store = Store(examples)
    registry = load_registry(examples)
    goals = [goal for cid in store.client_ids() for goal in store.load(cid).goals]
    assert len(goals) >= 12
    for goal in goals:
        check_goal(goal, registry)


def test_builtins_are_data_in_the_user_file_format() -> None:
    """data/instruments.toml uses only the fields a user file may set (plus `items`)."""
    import tomllib
    from importlib import resources

    from goaltrack.measures.instruments import BUILTINS, USER_FIELDS

    text = resources.files("goaltrack").joinpath("data", "instruments.toml").read_text()
    document = tomllib.loads(text)
    assert list(document) == list(BUILTINS)
    assert {field for table in document.values() for field in table} <= USER_FIELDS | {"items"}
