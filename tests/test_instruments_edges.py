"""Instrument checks at their edges: ranges, messages, bands, reliable change, the user file."""

from __future__ import annotations

from pathlib import Path

import pytest

from goaltrack.errors import InstrumentsFileError, InvalidValueError
from goaltrack.measures import instruments
from goaltrack.measures.instruments import (
    BUILTINS,
    Direction,
    Instrument,
    builtin_registry,
    load_registry,
)

SLEEP = '[sleep]\nname = "Sleep quality"\nmin = 0\nmax = 10\nbetter = "higher"\n'


def builtin(key: str) -> Instrument:
    """A built-in instrument by key."""
    found = instruments.get(key)
    assert found is not None
    return found


def refusal(instrument: Instrument, value: float, what: str | None = None) -> str:
    """The message with which `instrument` refuses `value`."""
    with pytest.raises(InvalidValueError) as refused:
        if what is None:
            instrument.check_value(value)
        else:
            instrument.check_value(value, what)
    return refused.value.message


def file_error(home: Path, text: str | bytes) -> str:
    """The message with which an instruments.toml holding `text` is refused."""
    path = home / "instruments.toml"
    home.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(InstrumentsFileError) as refused:
        load_registry(home).check()
    return refused.value.message.removeprefix(f"{path}")


def test_get_finds_a_builtin() -> None:
    """instruments.get("gad7") is the built-in GAD-7; an unknown key gives None."""
    assert (builtin("gad7").name, instruments.get("bdi")) == (
        "Generalized Anxiety Disorder-7",
        None,
    )


def test_range_ends_are_accepted() -> None:
    """PHQ-9 0 and 27 are both in range (no refusal)."""
    phq9 = builtin("phq9")
    phq9.check_value(0)
    phq9.check_value(27)


def test_one_above_the_range_is_refused_with_the_range() -> None:
    """PHQ-9 28 is refused: "value is outside the phq9 range 0-27"."""
    assert refusal(builtin("phq9"), 28) == "value is outside the phq9 range 0-27"


def test_one_below_the_range_is_refused() -> None:
    """PHQ-9 -1 is refused with the same message shape."""
    assert refusal(builtin("phq9"), -1) == "value is outside the phq9 range 0-27"


def test_refusal_names_what_was_checked() -> None:
    """Checking a baseline of 30 says "baseline 30", and a whole float is written as 30."""
    assert refusal(builtin("phq9"), 30.0, "baseline") == "baseline is outside the phq9 range 0-27"


def test_a_fraction_on_an_integer_measure_is_refused() -> None:
    """PHQ-9 12.5 is in range but refused: it must be a whole number."""
    assert refusal(builtin("phq9"), 12.5) == "value must be a whole number for phq9"


def test_a_fraction_on_a_fractional_measure_is_accepted() -> None:
    """ORS takes fractions: 12.5 passes; 40.5 is refused with its range 0-40."""
    ors = builtin("ors")
    ors.check_value(12.5)
    assert refusal(ors, 40.5) == "value is outside the ors range 0-40"


def test_a_signed_range_is_written_with_dots() -> None:
    """GAS 3 is refused with the range written -2..+2."""
    assert refusal(builtin("gas"), 3) == "value is outside the gas range -2..+2"


def test_range_text_of_a_range_from_zero() -> None:
    """A range starting at 0 is written with a dash: RSES 0-30."""
    assert builtin("rses").range_text() == "0-30"


def test_range_text_with_fractional_ends() -> None:
    """A user range -1.5 .. 2.5 is written -1.5..+2.5."""
    scale = Instrument(key="f", name="F", min=-1.5, max=2.5, better=Direction.HIGHER)
    assert scale.range_text() == "-1.5..+2.5"


def test_improvement_on_a_lower_is_better_measure() -> None:
    """PHQ-9 19 -> 8 is 11 points better."""
    assert builtin("phq9").improvement(19, 8) == 11


def test_improvement_on_a_higher_is_better_measure() -> None:
    """RSES 11 -> 18 is 7 points better; 18 -> 11 is 7 worse."""
    rses = builtin("rses")
    assert (rses.improvement(11, 18), rses.improvement(18, 11)) == (7, -7)


def test_published_reliable_change_points() -> None:
    """PHQ-9 6, GAD-7 4; PCL-5 none (its 10 is clinically meaningful); CORE-10 none."""
    points = [builtin(k).reliable_change_points() for k in ("phq9", "gad7", "pcl5", "core10")]
    assert points == [6, 4, None, None]
    assert builtin("pcl5").meaningful_change == 10


def test_jacobson_truax_points_hand_worked() -> None:
    """SD 2, r .5: S_E = 2*sqrt(.5), S_diff = 2, so 1.96 * 2 = 3.92 points."""
    scale = Instrument(
        key="j", name="J", min=0, max=40, better=Direction.HIGHER, sd=2, reliability=0.5
    )
    assert scale.reliable_change_points() == 3.92


def test_sd_alone_gives_no_reliable_change_points() -> None:
    """An SD without a reliability is not enough for Jacobson & Truax."""
    scale = Instrument(key="j", name="J", min=0, max=40, better=Direction.HIGHER, sd=2)
    assert scale.reliable_change_points() is None


def test_phq9_band_edges() -> None:
    """PHQ-9 bands (Kroenke 2001): 0-4 none-minimal, 5 mild, 10 moderate, 20 severe."""
    phq9 = builtin("phq9")
    assert [phq9.band_for(v) for v in (0, 4, 5, 9, 10, 14, 15, 19, 20, 27)] == [
        "none-minimal",
        "none-minimal",
        "mild",
        "mild",
        "moderate",
        "moderate",
        "moderately severe",
        "moderately severe",
        "severe",
        "severe",
    ]


def test_core10_band_edges() -> None:
    """CORE-10 (Barkham 2013): 5 healthy, 6 and 10 low level, 11 mild, 24 moderate-to-severe."""
    core10 = builtin("core10")
    assert [core10.band_for(v) for v in (0, 5, 6, 10, 11, 24, 25)] == [
        "healthy",
        "healthy",
        "low level",
        "low level",
        "mild",
        "moderate-to-severe",
        "severe",
    ]


def test_rses_bands_cover_0_to_30_and_say_they_are_not_official() -> None:
    """RSES folk bands: 14 low, 15 and 25 normal range, 26 and 30 high, each "not official"."""
    rses = builtin("rses")
    assert [rses.band_for(v) for v in (0, 14, 15, 25, 26, 30)] == [
        "low (not official)",
        "low (not official)",
        "normal range (not official)",
        "normal range (not official)",
        "high (not official)",
        "high (not official)",
    ]


def test_gas_levels_are_bands() -> None:
    """GAS -2 is "much less than expected" and +2 "much more than expected"."""
    gas = builtin("gas")
    assert (gas.band_for(-2), gas.band_for(2)) == (
        "much less than expected",
        "much more than expected",
    )


def test_cutoffs_and_directions() -> None:
    """PHQ-9 and GAD-7 cutoff 10, PCL-5 33, CORE-10 11 (lower is better); ORS 25 (higher)."""
    facts = {
        k: (BUILTINS[k].cutoff, BUILTINS[k].better)
        for k in ("phq9", "gad7", "pcl5", "core10", "ors")
    }
    assert facts == {
        "phq9": (10, Direction.LOWER),
        "gad7": (10, Direction.LOWER),
        "pcl5": (33, Direction.LOWER),
        "core10": (11, Direction.LOWER),
        "ors": (25, Direction.HIGHER),
    }


def test_registry_get() -> None:
    """The built-in registry finds PHQ-9 and gives None for an unknown key."""
    registry = builtin_registry()
    assert (registry.get("phq9"), registry.get("bdi")) == (BUILTINS["phq9"], None)


def test_require_message_names_every_known_key() -> None:
    """An unknown key is refused listing every built-in and where to read about them."""
    with pytest.raises(InvalidValueError) as refused:
        builtin_registry().require("bdi")
    assert refused.value.message == (
        "not a known instrument; known: phq9, gad7, pcl5, rses, core10, gbo, suds, ors, gas, "
        "rating, phq2, gad2, phq15 (see `goaltrack instruments`)"
    )


def test_registry_remembers_the_file_it_read(home: Path) -> None:
    """A registry read from a user file keeps that file's path."""
    home.mkdir(parents=True)
    (home / "instruments.toml").write_text(SLEEP, encoding="utf-8")
    assert load_registry(home).path == home / "instruments.toml"


def test_unreadable_user_file_names_the_reason(home: Path) -> None:
    """An instruments.toml that is a folder cannot be read: "Is a directory"."""
    (home / "instruments.toml").mkdir(parents=True)
    with pytest.raises(InstrumentsFileError) as refused:
        load_registry(home).check()
    assert refused.value.message == f"cannot read {home / 'instruments.toml'}: Is a directory"


def test_user_file_not_utf8(home: Path) -> None:
    """Bytes that are not UTF-8 are refused as such."""
    assert file_error(home, b"\xff\xfe[sleep]") == ": not valid UTF-8"


def test_toml_error_names_the_line(home: Path) -> None:
    """A TOML error on line 2 says "(line 2)"."""
    assert file_error(home, "a = 1\nb = =\n") == ": not valid TOML (line 2)"


def test_toml_error_at_the_end_names_the_last_line(home: Path) -> None:
    """A TOML error at the end of the document names its last line (issue 17)."""
    assert file_error(home, "[sleep]\nname = ") == ": not valid TOML (line 2)"


def test_schema_version_one_is_not_an_instrument(home: Path) -> None:
    """schema_version = 1 is skipped, and tables sorted after it are still read."""
    home.mkdir(parents=True)
    text = "schema_version = 1\n" + SLEEP + SLEEP.replace("[sleep]", "[anx]")
    (home / "instruments.toml").write_text(text, encoding="utf-8")
    assert [i.key for i in load_registry(home).all()][-2:] == ["anx", "sleep"]


def test_another_schema_version_is_refused(home: Path) -> None:
    """schema_version = 2 is not understood: refused like any value that is not a table."""
    assert file_error(home, "schema_version = 2\n").startswith(": [schema_version] must be a table")


def test_a_plain_value_is_refused_with_an_example(home: Path) -> None:
    """A top-level `mood = 1` is refused, showing what a table looks like."""
    assert file_error(home, "mood = 1\n") == (
        ": [mood] must be a table of instrument fields, e.g. [mood] with name, min, max, better"
    )


def test_a_builtin_key_cannot_be_redefined(home: Path) -> None:
    """[gad7] in the user file is refused, saying to use another key."""
    assert file_error(home, SLEEP.replace("[sleep]", "[gad7]")) == (
        ": [gad7]: 'gad7' is a built-in instrument and cannot be redefined; use another key"
    )


def test_unknown_fields_are_listed_with_the_allowed_ones(home: Path) -> None:
    """Fields items and colour are refused, sorted, with the allowed fields listed."""
    assert file_error(home, SLEEP + "colour = 'red'\nitems = true\n") == (
        ": [sleep]: unknown field(s) colour, items; allowed: bands, better, caseness, cutoff, "
        "integer, licence, loinc, max, meaningful_change, min, name, note, per_goal, "
        "reliability, reliable_change, rule_set, rule_source, sd, source"
    )


# ---- a user file with a mistake: only what is broken is left out (issue 17) -------------------

BROKEN_MOOD = '[mood]\nname = "Mood"\nmin = 0\nmax = 10\nbetter = "sideways"\n'


def user_registry(home: Path, text: str) -> instruments.Registry:
    """The registry of a home whose instruments.toml holds `text`."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "instruments.toml").write_text(text, encoding="utf-8")
    return load_registry(home)


def test_a_broken_table_is_left_out_and_the_valid_one_kept(home: Path) -> None:
    """[mood] broken, [sleep] valid: sleep is known, mood is recorded with its one line."""
    known = user_registry(home, BROKEN_MOOD + SLEEP)
    message = f"{home / 'instruments.toml'}: [mood]: better: Input should be 'lower' or 'higher'"
    assert (list(known.instruments)[-1], known.broken, known.file_error) == (
        "sleep",
        {"mood": message},
        None,
    )
    assert known.problems() == [message]
    assert (known.problem("mood"), known.problem("sleep"), known.problem("bdi2")) == (
        message,
        None,
        None,
    )


def test_asking_for_a_broken_table_raises_its_error(home: Path) -> None:
    """get and require of [mood] raise its message (exit 3); an unknown key is still None or
    the usual unknown-instrument error (exit 1)."""
    known = user_registry(home, BROKEN_MOOD + SLEEP)
    for ask in (known.get, known.require):
        with pytest.raises(InstrumentsFileError) as refused:
            ask("mood")
        assert (refused.value.message, refused.value.exit_code) == (known.broken["mood"], 3)
    assert known.get("bdi2") is None
    with pytest.raises(InvalidValueError, match="not a known instrument; known: "):
        known.require("bdi2")


def test_check_raises_the_first_problem_or_returns_the_registry(home: Path) -> None:
    """check(): the first broken table's message; a clean registry is returned as is."""
    known = user_registry(home, BROKEN_MOOD + SLEEP)
    with pytest.raises(InstrumentsFileError) as refused:
        known.check()
    assert refused.value.message == known.broken["mood"]
    clean = user_registry(home, SLEEP)
    assert clean.check() is clean and clean.problems() == []


def test_a_file_that_is_not_toml_blocks_only_user_keys(home: Path) -> None:
    """Not TOML: no user table is trusted; a user key raises the file's error, built-ins work."""
    known = user_registry(home, "[sleep\n")
    message = f"{home / 'instruments.toml'}: not valid TOML (line 1)"
    assert (known.file_error, known.broken, known.problems()) == (message, {}, [message])
    assert known.path == home / "instruments.toml"
    assert known.require("phq9") is BUILTINS["phq9"]
    with pytest.raises(InstrumentsFileError, match="not valid TOML"):
        known.get("sleep")
    assert known.problem("phq9") is None and known.problem("sleep") == message


def test_redefining_a_builtin_never_blocks_it(home: Path) -> None:
    """A broken [phq9] is reported, and PHQ-9 itself is still the built-in."""
    known = user_registry(home, '[phq9]\nname = "Mine"\nmin = 0\nmax = 30\nbetter = "lower"\n')
    assert known.get("phq9") is BUILTINS["phq9"]
    assert known.problem("phq9") is None
    assert "'phq9' is a built-in instrument and cannot be redefined" in known.broken["phq9"]


def test_an_unreadable_file_is_kept_as_the_file_error(home: Path) -> None:
    """instruments.toml as a folder: every built-in is there, the file error says why."""
    (home / "instruments.toml").mkdir(parents=True)
    known = load_registry(home)
    assert known.file_error == f"cannot read {home / 'instruments.toml'}: Is a directory"
    assert list(known.instruments) == list(BUILTINS)
    assert known.path == home / "instruments.toml"


def test_no_user_file_has_no_problems(home: Path) -> None:
    """Without instruments.toml: the built-ins, no path, no problems."""
    known = load_registry(home)
    assert (known.path, known.broken, known.file_error, known.problems()) == (None, {}, None, [])


def test_schema_version_one_is_no_problem(home: Path) -> None:
    """`schema_version = 1` is neither an instrument nor a broken table."""
    known = user_registry(home, "schema_version = 1\n" + SLEEP)
    assert (known.broken, known.problems(), list(known.instruments)[-1]) == ({}, [], "sleep")
