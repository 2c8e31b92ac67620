"""Several raters per goal (issue 17): a documented set plus the home's config.toml names;
`progress --by-rater` / `--rater NAME` and the chart show one series per rater."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.measures.raters import own_rater, raters_of
from goaltrack.records.model import Goal, GoalKind, ProgressEntry
from helpers import invoke

ALL = "'client', 'therapist', 'parent', 'partner', 'teacher', 'carer', 'other'"
RATINGS = [  # (date, value, rater) on a GBO goal, baseline 2, target 8
    ("2026-10-01", "3", "client"),
    ("2026-10-08", "4", "client"),
    ("2026-10-15", "5", "client"),
    ("2026-10-01", "2", "parent"),
    ("2026-10-08", "2", "parent"),
    ("2026-10-15", "3", "parent"),
    ("2026-10-08", "6", "teacher"),
]


@pytest.fixture
def family(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> str:
    """c-1 with one GBO goal rated by the client, a parent and a teacher."""
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-10-20")
    invoke(runner, "new-client", "c-1", "--since", "2026-09-01")
    invoke(runner, "add-goal", "c-1", "coping", "Calmer mornings", "--measure", "gbo",
           "--baseline", "2", "--target", "8")  # fmt: skip
    for day, value, rater in RATINGS:
        result = invoke(runner, "log", "c-1", "1", value, "--date", day, "--rater", rater)
        assert result.exit_code == 0, result.stderr
    return "c-1"


def _goal(*raters: str | None) -> Goal:
    entries = [
        ProgressEntry(id=f"E{i:09d}", date=date(2026, 10, 1 + i), value=3, rater=rater)
        for i, rater in enumerate(raters)
    ]
    return Goal(number=1, kind=GoalKind.COPING, title="t", created=date(2026, 9, 1),
                measure="gbo", progress=entries)  # fmt: skip


# ---- who rated ---------------------------------------------------------------------------------


def test_raters_come_in_the_documented_order_then_by_name() -> None:
    """raters_of: client, therapist, parent, ... first, then config names alphabetically."""
    assert raters_of(_goal("zia", "teacher", "client", "aunt", "parent")) == [
        *("client", "parent", "teacher", "aunt", "zia")
    ]


def test_an_entry_without_a_rater_is_the_clients_own() -> None:
    """An unrated entry counts as the client's rating, so it joins the client's series."""
    assert raters_of(_goal(None, "client", "parent")) == ["client", "parent"]


def test_a_goal_the_client_never_rated_uses_its_first_rater() -> None:
    """GAS scored by the therapist only: its figures use the therapist's ratings."""
    assert own_rater(_goal("parent", "therapist")) == "therapist"
    assert own_rater(_goal()) is None


@pytest.mark.parametrize(
    "rater", ["client", "therapist", "parent", "partner", "teacher", "carer", "other"]
)
def test_every_documented_rater_is_accepted(runner: CliRunner, home: Path, rater: str) -> None:
    """`log --rater` takes each documented rater (any case) and stores it."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Calm", "--measure", "gbo")
    assert invoke(runner, "log", "c-1", "1", "5", "--rater", rater.upper()).exit_code == 0
    rows = json.loads(invoke(runner, "entries", "c-1", "--json").stdout)["entries"]
    assert [row["rater"] for row in rows] == [rater]


def test_an_unknown_rater_is_a_usage_error_listing_the_set(runner: CliRunner, home: Path) -> None:
    """`--rater grandmother` without config: exit 2 naming every rater the home knows."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Calm", "--measure", "gbo")
    result = invoke(runner, "log", "c-1", "1", "5", "--rater", "grandmother")
    assert result.exit_code == 2
    assert f"'--rater': must be one of {ALL}." in result.stderr


def test_config_adds_raters(runner: CliRunner, home: Path) -> None:
    """`[raters] extra` in config.toml adds names that --rater accepts and errors list."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Calm", "--measure", "gbo")
    (home / "config.toml").write_text('[raters]\nextra = ["grandmother", "school-nurse"]\n')
    assert invoke(runner, "log", "c-1", "1", "5", "--rater", "grandmother").exit_code == 0
    refused = invoke(runner, "log", "c-1", "1", "5", "--rater", "uncle")
    assert f"must be one of {ALL}, 'grandmother', 'school-nurse'." in refused.stderr


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[raters]\nextra = ["Grand Mother"]\n', "[raters] extra: name 1 must be 1-32 characters"),
        ('[raters]\nextras = ["aunt"]\n', "[raters]: unknown key(s) extras; known: extra"),
        ('[raters]\nextra = ["aunt", "aunt"]\n', "[raters] extra: 'aunt' is listed already"),
        ('[raters]\nextra = ["parent"]\n', "[raters] extra: 'parent' is listed already"),
        ('[rater]\nextra = ["aunt"]\n', "unknown setting 'rater'; known: [raters] extra"),
        ('[raters]\nextra = "aunt"\n', "[raters] extra must be a list of names"),
        ("[raters\n", "not valid TOML (line 1)"),
    ],
)
def test_a_bad_config_is_one_line_naming_the_file(
    runner: CliRunner, home: Path, text: str, problem: str
) -> None:
    """A mistake in config.toml: exit 3, one line naming the file and the key."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Calm", "--measure", "gbo")
    (home / "config.toml").write_text(text)
    result = invoke(runner, "log", "c-1", "1", "5", "--rater", "client")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"goaltrack: error: {home / 'config.toml'}: {problem}")
    assert result.stderr.count("\n") == 1
    assert invoke(runner, "log", "c-1", "1", "5").exit_code == 0  # no --rater: not read


def test_import_accepts_a_config_rater(runner: CliRunner, home: Path) -> None:
    """An import row rated by a config.toml name is written; an unknown name is refused."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Calm", "--measure", "gbo")
    (home / "config.toml").write_text('[raters]\nextra = ["grandmother"]\n')
    rows = "client,goal,date,value,rater\nc-1,1,2026-10-01,4,grandmother\n"
    assert invoke(runner, "import", "--input-format", "csv", input=rows).exit_code == 0
    bad = invoke(runner, "import", "--input-format", "csv", input=rows.replace("grand", "great"))
    assert bad.exit_code == 1
    assert "line 2, field rater: must be one of: client, therapist, parent" in bad.stderr


# ---- progress by rater -------------------------------------------------------------------------


def test_progress_figures_use_the_clients_own_ratings(runner: CliRunner, family: str) -> None:
    """By default: latest 5 (the client's), `rater` client, and a line saying so."""
    document = json.loads(invoke(runner, "progress", "c-1", "--json").stdout)
    [row] = document["goals"]
    assert (row["latest"], row["entries"], row["rater"]) == (5, 3, "client")
    assert (document["rater"], document["by_rater"]) == (None, False)
    table = " ".join(invoke(runner, "progress", "c-1").stdout.split())
    assert (
        "Goal 1: figures use the client's own ratings; also rated by parent, teacher "
        "(--by-rater shows each, --rater NAME uses one)."
    ) in table


def test_progress_rater_uses_that_raters_ratings(runner: CliRunner, family: str) -> None:
    """--rater parent: latest 3, 3 entries, change +1 from the baseline 2; said below."""
    document = json.loads(
        invoke(runner, "progress", "c-1", "1", "--rater", "parent", "--json").stdout
    )
    [row] = document["goals"]
    assert (row["latest"], row["entries"], row["improvement"], row["rater"]) == (3, 3, 1, "parent")
    assert document["rater"] == "parent"
    table = invoke(runner, "progress", "c-1", "--rater", "parent").stdout
    assert "Figures use the parent's ratings only (--rater parent)." in table


def test_progress_by_rater_has_one_row_per_rater(runner: CliRunner, family: str) -> None:
    """--by-rater: client, parent, teacher rows, each on its own ratings; a Rater column."""
    rows = json.loads(invoke(runner, "progress", "c-1", "--by-rater", "--json").stdout)["goals"]
    assert [(r["rater"], r["latest"], r["entries"]) for r in rows] == [
        ("client", 5, 3),
        ("parent", 3, 3),
        ("teacher", 6, 1),
    ]
    table = invoke(runner, "progress", "c-1", "--by-rater").stdout
    assert table.splitlines()[1].split()[:3] == ["#", "Goal", "Rater"]
    assert "One row per rater: each row's figures use that rater's ratings only." in table


def test_rater_and_by_rater_together_are_refused(runner: CliRunner, family: str) -> None:
    """--rater with --by-rater: exit 1 saying why."""
    result = invoke(runner, "progress", "c-1", "--by-rater", "--rater", "parent")
    assert result.exit_code == 1
    assert "--by-rater shows every rater; leave out --rater" in result.stderr


def test_a_risk_flag_by_any_rater_still_shows(runner: CliRunner, home: Path) -> None:
    """An item-9 flag in a PHQ-9 given with --rater parent is an alert on `progress`."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood")
    invoke(runner, "log", "c-1", "1", "10", "--rater", "client")
    invoke(
        runner, "measure", "c-1", "phq9", "--rater", "parent", "--responses", "1,1,1,1,1,1,1,1,2"
    )
    document = json.loads(invoke(runner, "progress", "c-1", "--json").stdout)
    assert [alert["flag"] for alert in document["alerts"]] == ["risk-item9"]


# ---- the chart -----------------------------------------------------------------------------


def _chart(runner: CliRunner, *extra: str) -> list[str]:
    result = invoke(runner, "progress", "c-1", "1", "--chart", *extra)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def _plot_rows(lines: list[str]) -> list[str]:
    """The plot area: rows between the title facts and the x axis (labelled or spine rows)."""
    return [line for line in lines if line[3:4] in ("+", "|") and "-----" not in line]


def test_chart_by_rater_marks_each_series_and_names_it(runner: CliRunner, family: str) -> None:
    """--by-rater in ASCII: `*` client, `o` parent, `x` teacher, each entry marked once."""
    lines = _chart(runner, "--by-rater")
    assert lines[-1] == "* client  o parent  x teacher  ~ trend (client)  = target 8"
    plot = "".join(row[4:] for row in _plot_rows(lines))
    assert (plot.count("*"), plot.count("o"), plot.count("x")) == (3, 3, 1)


def test_chart_of_several_raters_says_whose_it_draws(runner: CliRunner, family: str) -> None:
    """Without --by-rater: the client's 3 entries only, and a legend naming the others."""
    lines = _chart(runner)
    assert lines[-1] == (
        "* score by client  also rated by parent, teacher (--by-rater)  ~ trend (client)  "
        "= target 8"
    )
    plot = "".join(row[4:] for row in _plot_rows(lines))
    assert (plot.count("*"), plot.count("o"), plot.count("x")) == (3, 0, 0)


def test_chart_of_one_rater_uses_only_theirs(runner: CliRunner, family: str) -> None:
    """--rater teacher: the teacher's one entry."""
    plot = "".join(row[4:] for row in _plot_rows(_chart(runner, "--rater", "teacher")))
    assert plot.count("*") == 1


def test_the_schema_gives_the_rater_rule(runner: CliRunner) -> None:
    """`goaltrack schema`: an entry's rater is a name of the pattern, the set described."""
    schema = json.loads(invoke(runner, "schema").stdout)
    rater = schema["$defs"]["ProgressEntry"]["properties"]["rater"]
    assert rater["anyOf"][0] == {"type": "string", "pattern": "^(?:[a-z][a-z0-9_-]{0,31})$"}
    assert rater["description"].startswith(
        "Who rated: client, therapist, parent, partner, teacher, carer, other, or a name"
    )


def test_a_stored_rater_must_be_a_well_formed_name() -> None:
    """The model refuses a rater that is no name ("Grand Mother"), whatever the config."""
    with pytest.raises(ValueError, match="rater must be 1-32 characters"):
        _goal("Grand Mother")
