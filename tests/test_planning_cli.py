"""Goal planning on the command line: intake screening, preferences and strengths, the plan's
objectives and interventions, add-goal --template, suggest, templates, plan (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from goaltrack.cli import complete
from goaltrack.interop import fhir
from goaltrack.storage.store import Store
from helpers import invoke

PHQ9_21 = "3,3,3,3,3,2,2,2,0"
PHQ9_21_RISK = "3,3,3,3,2,2,2,2,1"


def _intake(runner: CliRunner, answers: str = PHQ9_21, *extra: str) -> None:
    """A new client with severe depression, screened with the PHQ-9 on 2026-09-01."""
    result = invoke(
        runner, "new-client", "c-1", "--concern", "depression:severe",
        "--concern", "relationship patterns:mild", "--approach", "cbt",
        "--since", "2026-09-01", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    result = invoke(
        runner, "measure", "c-1", "phq9", "--responses", answers, "--date", "2026-09-01"
    )
    assert result.exit_code == 0, result.stderr


def _load(client: str = "c-1"):  # type: ignore[no-untyped-def]
    return Store.at(None).load(client)


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-09-02")


# ---- intake: screening, preferences, strengths --------------------------------------------------


def test_measure_without_a_goal_records_a_screening(runner: CliRunner) -> None:
    """`measure CLIENT phq9` with no PHQ-9 goal stores a screening on the client."""
    _intake(runner)
    screenings = _load().client.screenings
    assert [(s.instrument, s.value, s.responses) for s in screenings] == [
        ("phq9", 21, [3, 3, 3, 3, 3, 2, 2, 2, 0])
    ]


def test_an_endorsed_item9_at_screening_raises_the_alert(runner: CliRunner) -> None:
    """A screening with item 9 endorsed is flagged and alerts on show, plan and suggest."""
    _intake(runner, PHQ9_21_RISK)
    assert _load().client.screenings[0].flags is not None
    for command in ("show", "plan", "suggest"):
        result = invoke(runner, command, "c-1")
        assert "RISK: PHQ-9 item 9" in result.stdout, command
        assert "screening) — follow up" in result.stdout, command


def test_a_screening_is_audited_with_its_id(runner: CliRunner, home: Path) -> None:
    """The audit line of a screening names its id among the entries."""
    _intake(runner)
    last = json.loads((home / "audit.log").read_text().splitlines()[-1])
    assert (last["command"], last["entries"]) == ("measure", [_load().client.screenings[0].id])


def test_screening_flag_refuses_a_goal_and_per_goal_ratings(runner: CliRunner) -> None:
    """--screening with --goal, or for a GBO rating, is refused in one line."""
    _intake(runner)
    both = invoke(runner, "measure", "c-1", "phq9", "--total", "5", "--screening", "--goal", "1")
    assert both.exit_code == 1
    assert "a screening belongs to no goal" in both.stderr
    rating = invoke(runner, "measure", "c-1", "gbo", "--total", "5", "--screening")
    assert rating.exit_code == 1
    assert "gbo rates one goal, so it cannot be a screening" in rating.stderr


def test_preferences_and_strengths_are_stored_shown_and_edited(runner: CliRunner) -> None:
    """--preference and --strength on new-client and edit-client; show lists them."""
    _intake(
        runner, PHQ9_21, "--preference", "practical homework", "--strength", "supportive sister"
    )
    result = invoke(
        runner, "edit-client", "c-1", "--preference", "involve family",
        "--remove-preference", "Practical Homework", "--strength", "likes walking",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    client = _load().client
    assert client.preferences == ["involve family"]
    assert client.strengths == ["supportive sister", "likes walking"]
    shown = json.loads(invoke(runner, "show", "c-1", "--json").stdout)["client"]
    assert (shown["preferences"], shown["strengths"]) == (
        ["involve family"],
        ["supportive sister", "likes walking"],
    )
    missing = invoke(runner, "edit-client", "c-1", "--remove-strength", "chess")
    assert missing.exit_code == 1
    assert missing.stderr == (
        "goaltrack: error: remove-strength: must be one of the client's strengths "
        "(`goaltrack show ID` lists them)\n"
    )


def test_preferences_reach_the_json_and_fhir_exports(runner: CliRunner) -> None:
    """JSON export carries them as fields; FHIR as a note on each Goal."""
    _intake(runner, PHQ9_21, "--preference", "faith matters", "--strength", "supportive sister")
    invoke(runner, "add-goal", "c-1", "--template", "mood-ba")
    dump = json.loads(invoke(runner, "export", "c-1", "-f", "json").stdout)
    text = json.dumps(dump)
    assert "faith matters" in text and "supportive sister" in text
    bundle = fhir.bundle([_load()])
    goal = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Goal")
    assert goal["note"] == [
        {"text": "Client preferences: faith matters"},
        {"text": "Client strengths: supportive sister"},
    ]


# ---- add-goal: concern, schedule, template ----------------------------------------------------


def test_add_goal_names_an_existing_concern(runner: CliRunner) -> None:
    """--concern must be one of the client's (stored as the client spells it); --every too."""
    _intake(runner)
    ok = invoke(runner, "add-goal", "c-1", "coping", "Routine", "--concern", "DEPRESSION",
                "--every", "2W")  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    goal = _load().goals[0]
    assert (goal.concern, goal.every) == ("depression", "2w")
    bad = invoke(runner, "add-goal", "c-1", "coping", "Sleep", "--concern", "insomnia")
    assert bad.exit_code == 1
    assert bad.stderr == (
        "goaltrack: error: client 'c-1' has no concern of that name (`goaltrack show c-1` "
        "lists them); add it first with `goaltrack edit-client ID --concern NAME:SEVERITY`\n"
    )


def test_a_template_goal_gets_the_computed_target_baseline_and_plan(runner: CliRunner) -> None:
    """mood-ba: PHQ-9 below 10 (target 9), baseline 21 from the intake screening, its
    objectives and interventions for the client's approach."""
    _intake(runner)
    result = invoke(runner, "add-goal", "c-1", "--template", "mood-ba")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "1"
    assert "baseline 21 (PHQ-9 screening on 2026-09-01)" in result.stderr
    goal = _load().goals[0]
    assert (goal.kind.value, goal.concern, goal.template, goal.measure) == (
        "symptom-reduction", "depression", "mood-ba", "phq9",
    )  # fmt: skip
    assert (goal.baseline, goal.target, goal.every, goal.approach.value) == (21, 9, "2w", "cbt")
    assert goal.due is not None and goal.due.isoformat() == "2026-11-25"
    assert [o.text for o in goal.objectives] == [
        "Keep an activity and mood diary for two weeks",
        "Do three valued activities a week",
        "Schedule the activities ahead and rate mastery and pleasure",
    ]
    assert [(i.technique, i.approach.value) for i in goal.interventions] == [
        ("behavioural activation", "cbt"),
        ("activity scheduling", "cbt"),
    ]


def test_a_reliable_improvement_template_aims_six_points_below_the_baseline(
    runner: CliRunner,
) -> None:
    """mood-stabilise: at least 6 points below the intake PHQ-9 21, i.e. 15."""
    _intake(runner)
    invoke(runner, "add-goal", "c-1", "--template", "mood-stabilise")
    goal = _load().goals[0]
    assert (goal.baseline, goal.target, goal.priority.value) == (21, 15, "high")


def test_options_override_what_the_template_drafts(runner: CliRunner) -> None:
    """A typed baseline recomputes the target; typed title, approach and due are kept."""
    _intake(runner)
    result = invoke(
        runner, "add-goal", "c-1", "symptom-reduction", "Feel less flat", "--template",
        "mood-stabilise", "--baseline", "18", "--approach", "psychodynamic", "--due", "2026-12-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    goal = _load().goals[0]
    assert (goal.title, goal.baseline, goal.target, goal.due.isoformat()) == (
        "Feel less flat", 18, 12, "2026-12-01",
    )  # fmt: skip
    assert {i.approach.value for i in goal.interventions} == {"psychodynamic"}


def test_add_goal_needs_kind_and_title_or_a_template(runner: CliRunner) -> None:
    """Without --template, KIND and TITLE are required; an unknown template is named."""
    _intake(runner)
    bare = invoke(runner, "add-goal", "c-1")
    assert bare.exit_code == 1
    assert "give the goal's KIND and TITLE, or --template KEY" in bare.stderr
    unknown = invoke(runner, "add-goal", "c-1", "--template", "mood-magic")
    assert unknown.exit_code == 1
    assert "not a known template (see `goaltrack templates`" in unknown.stderr


# ---- objectives and interventions ---------------------------------------------------------------


def test_objectives_are_added_edited_completed_and_listed(runner: CliRunner) -> None:
    """Numbers go on from the highest; edit, complete and list in every format."""
    _intake(runner)
    invoke(runner, "add-goal", "c-1", "--template", "mood-ba")
    added = invoke(runner, "add-objective", "c-1", "1", "Walk twice a week", "--due", "2026-10-01")
    assert added.exit_code == 0, added.stderr
    assert added.stdout.strip() == "4"
    assert invoke(runner, "edit-objective", "c-1", "1", "4", "--text", "Walk three times a week",
                  "--clear", "due").exit_code == 0  # fmt: skip
    assert invoke(runner, "complete-objective", "c-1", "1", "2").exit_code == 0
    again = invoke(runner, "complete-objective", "c-1", "1", "2")
    assert "was already met" in again.stderr
    assert invoke(runner, "edit-objective", "c-1", "1", "3", "--status", "dropped").exit_code == 0
    rows = json.loads(invoke(runner, "objectives", "c-1", "--json").stdout)["objectives"]
    assert [(r["objective"], r["status"], r["due"]) for r in rows] == [
        (1, "active", None), (2, "met", None), (3, "dropped", None), (4, "active", None),
    ]  # fmt: skip
    assert rows[3]["text"] == "Walk three times a week"
    csv = invoke(runner, "objectives", "c-1", "-f", "csv").stdout.splitlines()
    assert csv[0] == "client,goal,objective,text,status,due"
    assert invoke(runner, "add-objective", "c-1", "1", "Later").stdout.strip() == "5"


def test_objective_and_intervention_errors_name_what_exists(runner: CliRunner) -> None:
    """An unknown number is refused with the numbers there are; nothing to change is said."""
    _intake(runner)
    invoke(runner, "add-goal", "c-1", "--template", "mood-ba")
    missing = invoke(runner, "complete-objective", "c-1", "1", "9")
    assert missing.exit_code == 1
    assert "goal 1 has no objective 9 (objectives: 1, 2, 3)" in missing.stderr
    nothing = invoke(runner, "edit-intervention", "c-1", "1", "1")
    assert "nothing to change" in nothing.stderr
    past = invoke(runner, "add-objective", "c-1", "1", "Old", "--due", "2020-01-01")
    assert past.exit_code == 1 and "already past" in past.stderr


def test_interventions_are_added_edited_and_listed(runner: CliRunner) -> None:
    """add-intervention numbers on; edit changes technique or clears the approach."""
    _intake(runner)
    invoke(runner, "add-goal", "c-1", "coping", "Routine")
    assert invoke(runner, "add-intervention", "c-1", "1", "activity scheduling", "--approach",
                  "cbt").stdout.strip() == "1"  # fmt: skip
    assert invoke(runner, "add-intervention", "c-1", "1", "genogram").stdout.strip() == "2"
    invoke(runner, "edit-intervention", "c-1", "1", "1", "--clear", "approach")
    invoke(runner, "edit-intervention", "c-1", "1", "2", "--approach", "family")
    rows = json.loads(invoke(runner, "interventions", "c-1", "--goal", "1", "--json").stdout)
    assert [(r["intervention"], r["technique"], r["approach"]) for r in rows["interventions"]] == [
        (1, "activity scheduling", None),
        (2, "genogram", "family"),
    ]


def test_plan_changes_are_audited(runner: CliRunner, home: Path) -> None:
    """Each objective and intervention command writes one audit line naming the goal."""
    _intake(runner)
    invoke(runner, "add-goal", "c-1", "coping", "Routine")
    invoke(runner, "add-objective", "c-1", "1", "Get up at 8")
    invoke(runner, "complete-objective", "c-1", "1", "1")
    invoke(runner, "add-intervention", "c-1", "1", "activity scheduling")
    events = [json.loads(line) for line in (home / "audit.log").read_text().splitlines()][-3:]
    assert [(e["command"], e["goals"], e["outcome"]) for e in events] == [
        ("add-objective", [1], "ok"),
        ("complete-objective", [1], "ok"),
        ("add-intervention", [1], "ok"),
    ]


# ---- suggest, templates, plan --------------------------------------------------------------------


def test_suggest_in_every_format(runner: CliRunner) -> None:
    """Table for people; json, jsonl and csv carry the same ranked suggestions."""
    _intake(runner)
    table = invoke(runner, "suggest", "c-1", "--limit", "2")
    assert table.exit_code == 0, table.stderr
    assert "1. mood-stabilise: Bring severe depressive symptoms down to a safer level" in (
        table.stdout
    )
    assert "   - severe depression: stabilise first" in table.stdout
    data = json.loads(invoke(runner, "suggest", "c-1", "--json").stdout)
    assert [s["template"] for s in data["suggestions"][:3]] == [
        "mood-stabilise", "daily-structure", "mood-ba",
    ]  # fmt: skip
    first = data["suggestions"][0]["creates"]
    assert (first["baseline"], first["target"], first["due"]) == (21, 15, "2026-10-28")
    lines = invoke(runner, "suggest", "c-1", "-f", "jsonl").stdout.splitlines()
    assert len(lines) == len(data["suggestions"])
    csv = invoke(runner, "suggest", "c-1", "-f", "csv").stdout.splitlines()
    assert csv[0].startswith("client,rank,template,title,kind,stage,concern,severity,score")


def test_suggest_under_each_approach_changes_the_interventions(runner: CliRunner) -> None:
    """--approach psychodynamic gives the psychodynamic interventions of the same template."""
    _intake(runner)
    data = json.loads(invoke(runner, "suggest", "c-1", "--approach", "psychodynamic",
                             "--json").stdout)  # fmt: skip
    assert data["approaches"] == ["psychodynamic"]
    assert data["suggestions"][0]["creates"]["interventions"] == [
        {
            "technique": "supportive psychodynamic therapy: holding and containment",
            "approach": "psychodynamic",
        },
        {"technique": "identifying the focal conflict (STPP focus)", "approach": "psychodynamic"},
    ]


def test_templates_lists_and_shows(runner: CliRunner) -> None:
    """`templates` lists every template; `templates KEY` shows its plan per approach."""
    listed = json.loads(invoke(runner, "templates", "--json").stdout)["templates"]
    assert len(listed) >= 30
    shown = json.loads(invoke(runner, "templates", "mood-ba", "--json").stdout)["template"]
    assert shown["target"] == "below-cutoff"
    assert shown["approaches"]["cbt"]["interventions"] == [
        "behavioural activation",
        "activity scheduling",
    ]
    table = invoke(runner, "templates", "mood-ba")
    assert "Objectives and interventions by approach" in table.stdout


def test_a_user_template_file_extends_and_overrides(runner: CliRunner, home: Path) -> None:
    """A new key adds a template; a built-in's key replaces it."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "templates.toml").write_text(
        '[sleep-routine]\nkind = "coping"\ntitle = "Sleep better"\nconcerns = ["insomnia"]\n'
        'severities = ["mild"]\nstage = "change"\nmeasure = "gbo"\ntarget = "rating-gain"\n'
        'serves = ["coping"]\napproaches.cbt = { interventions = ["CBT for insomnia"] }\n'
    )
    listed = json.loads(invoke(runner, "templates", "--json").stdout)["templates"]
    assert listed[-1]["key"] == "sleep-routine"
    assert listed[-1]["origin"] == str(home / "templates.toml")


def test_a_typo_in_templates_toml_is_one_line_and_stops_only_template_commands(
    runner: CliRunner, home: Path
) -> None:
    """The error names the file, the template and the field; other commands still work."""
    _intake(runner)
    (home / "templates.toml").write_text(
        '[sleep-routine]\nkind = "copeing"\ntitle = "Sleep better"\nconcerns = ["insomnia"]\n'
        'severities = ["mild"]\nstage = "change"\nmeasure = "gbo"\ntarget = "rating-gain"\n'
        'serves = ["coping"]\napproaches.cbt = { interventions = ["CBT for insomnia"] }\n'
    )
    for command in (
        ["suggest", "c-1"],
        ["templates"],
        ["add-goal", "c-1", "--template", "mood-ba"],
    ):
        result = invoke(runner, *command)
        assert result.exit_code == 3, command
        lines = result.stderr.splitlines()
        assert len(lines) == 1
        assert lines[0].startswith(
            f"goaltrack: error: {home / 'templates.toml'}: [sleep-routine] kind: "
        )
    for command in (["goals", "c-1"], ["show", "c-1"], ["plan", "c-1"],
                    ["add-goal", "c-1", "coping", "Sleep"]):  # fmt: skip
        assert invoke(runner, *command).exit_code == 0, command


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[x]\nkind = "coping"\n', "[x] title: "),
        ("[x]\ncolour = 1\n", "[x]: unknown field(s) colour"),
        ("[x\n", "not valid TOML (line 1)"),
    ],
)
def test_template_file_errors_name_the_field(
    runner: CliRunner, home: Path, content: str, message: str
) -> None:
    """A missing field, an unknown field and bad TOML each get a line naming the place."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "templates.toml").write_text(content)
    result = invoke(runner, "templates")
    assert result.exit_code == 3
    assert message in result.stderr


def test_a_template_whose_rule_the_measure_cannot_serve_is_refused(
    runner: CliRunner, home: Path
) -> None:
    """below-cutoff on RSES (higher is better, no cutoff) is refused, naming the target."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "templates.toml").write_text(
        '[x]\nkind = "self-esteem"\ntitle = "Esteem"\nconcerns = ["esteem"]\n'
        'severities = ["mild"]\nstage = "change"\nmeasure = "rses"\ntarget = "below-cutoff"\n'
        'serves = ["growth"]\napproaches.cbt = { interventions = ["x"] }\n'
    )
    result = invoke(runner, "templates")
    assert result.exit_code == 3
    assert "[x] target: below-cutoff needs a measure where lower is better" in result.stderr


def test_plan_shows_the_tree_and_an_unserved_concern(runner: CliRunner) -> None:
    """The tree names each concern, its goals, objectives and interventions, and a concern
    that no active goal serves."""
    _intake(runner)
    invoke(runner, "add-goal", "c-1", "--template", "mood-ba")
    invoke(runner, "add-goal", "c-1", "autonomy", "Decide alone")
    text = invoke(runner, "plan", "c-1").stdout
    assert (
        "Concern: depression (severe)\n  Goal 1: Lift low mood by doing more of what matters"
        in text
    )
    assert "    Objective 2: Do three valued activities a week [active]" in text
    assert "    Intervention 1: behavioural activation (cbt)" in text
    assert "Concern: relationship patterns (mild)\n  no active goal serves this concern" in text
    assert "Goals serving no concern\n  Goal 2: Decide alone" in text


def test_plan_json_validates_against_the_published_schema(runner: CliRunner) -> None:
    """`plan -f json` validates against `goaltrack schema plan`."""
    _intake(runner, PHQ9_21_RISK)
    invoke(runner, "add-goal", "c-1", "--template", "mood-ba")
    invoke(runner, "add-objective", "c-1", "1", "Walk", "--due", "2026-10-01")
    invoke(runner, "add-goal", "c-1", "autonomy", "Decide alone")
    schema = json.loads(invoke(runner, "schema", "plan").stdout)
    document = json.loads(invoke(runner, "plan", "c-1", "-f", "json").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    assert document["plan"]["unserved_concerns"] == ["relationship patterns"]
    assert [g["goal"] for g in document["plan"]["goals_without_concern"]] == [2]
    assert document["alerts"][0]["goal"] is None


def test_the_plan_schema_refuses_a_broken_plan(runner: CliRunner) -> None:
    """The schema is not vacuous: a plan without its concerns is refused."""
    _intake(runner)
    schema = json.loads(invoke(runner, "schema", "plan").stdout)
    document = json.loads(invoke(runner, "plan", "c-1", "-f", "json").stdout)
    del document["plan"]["concerns"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_plan_markdown_and_flat_rows(runner: CliRunner) -> None:
    """`-f md` gives headings a letter can use, user text escaped; csv one row per node."""
    _intake(runner)
    invoke(runner, "add-goal", "c-1", "coping", "Sleep *well*", "--concern", "depression")
    invoke(runner, "add-objective", "c-1", "1", "Lights out by 23:00")
    md = invoke(runner, "plan", "c-1", "-f", "md").stdout
    assert md.startswith("# Treatment plan: c-1\n")
    assert "## depression (severe)" in md
    assert "### Goal 1: Sleep \\*well\\*" in md
    assert "  1. Lights out by 23:00 (active)" in md
    assert "_No active goal serves this concern yet._" in md
    rows = invoke(runner, "plan", "c-1", "-f", "csv").stdout.splitlines()
    assert rows[0] == "client,level,concern,goal,number,text,status,approach,due,outlook"
    assert [row.split(",")[1] for row in rows[1:]] == ["concern", "goal", "objective", "concern"]


# ---- completion ---------------------------------------------------------------------------------


class _Ctx:
    def __init__(self, params: dict[str, object], info_name: str = "add-goal") -> None:
        self.params = params
        self.info_name = info_name

    def find_root(self) -> _Ctx:
        return _Ctx({"home": None})


def test_completion_offers_templates_concerns_and_objectives(runner: CliRunner) -> None:
    """Template keys with titles, the client's concern names, a goal's objective numbers."""
    _intake(runner)
    invoke(runner, "add-goal", "c-1", "--template", "mood-ba")
    keys = complete.template_keys(_Ctx({}), "mood-s")
    assert keys == [
        ("mood-stabilise", "Bring severe depressive symptoms down to a safer level"),
        ("mood-self-help", "Work through guided self-help for low mood"),
    ]
    assert complete.concern_names(_Ctx({"client_id": "c-1"}), "rel") == ["relationship patterns"]
    assert complete.objective_numbers(_Ctx({"client_id": "c-1", "goal": 1}), "") == [
        ("1", "Keep an activity and mood diary for two weeks"),
        ("2", "Do three valued activities a week"),
        ("3", "Schedule the activities ahead and rate mastery and pleasure"),
    ]
    assert complete.concern_names(_Ctx({"client_id": "nobody"}), "") == []


def test_a_v1_file_takes_a_plan_on_its_first_write(runner: CliRunner, home: Path) -> None:
    """A schema-1 client gets an objective: the file becomes schema 2, the rest reads the same."""
    v1 = Path(__file__).resolve().parent / "golden" / "v1" / "example-c-1042.toml"
    client_id = "c-1042"
    (home / "clients").mkdir(parents=True, mode=0o700)
    home.chmod(0o700)
    (home / "clients" / "c-1042.toml").write_bytes(v1.read_bytes())
    (home / "clients" / "c-1042.toml").chmod(0o600)
    before = json.loads(invoke(runner, "show", client_id, "--json").stdout)
    goal = str(_load(client_id).goals[0].number)
    result = invoke(runner, "add-objective", client_id, goal, "Walk twice a week")
    assert result.exit_code == 0, result.stderr
    text = (home / "clients" / "c-1042.toml").read_text()
    assert text.startswith("schema_version = 2\n")
    assert json.loads(invoke(runner, "show", client_id, "--json").stdout) == before
    assert [o.text for o in _load(client_id).goals[0].objectives] == ["Walk twice a week"]


def test_a_concern_a_goal_serves_cannot_be_removed(runner: CliRunner) -> None:
    """Removing a served concern is refused, naming the goal; after unlinking it, allowed."""
    _intake(runner)
    invoke(runner, "add-goal", "c-1", "coping", "Routine", "--concern", "depression")
    refused = invoke(runner, "edit-client", "c-1", "--remove-concern", "Depression")
    assert refused.exit_code == 1
    assert "goal 1 of 'c-1' serves that concern; link it to another concern first" in refused.stderr
    assert invoke(runner, "edit-goal", "c-1", "1", "--clear", "concern").exit_code == 0
    assert invoke(runner, "edit-client", "c-1", "--remove-concern", "depression").exit_code == 0
    assert [c.name for c in _load().client.concerns] == ["relationship patterns"]


def test_plan_names_the_intake_screenings(runner: CliRunner) -> None:
    """The plan header names the latest screening per instrument, with band and flags."""
    _intake(runner, PHQ9_21_RISK)
    assert "  Screenings: PHQ-9 21 (severe) on 2026-09-01 [risk-item9]" in (
        invoke(runner, "plan", "c-1").stdout
    )
    rows = json.loads(invoke(runner, "plan", "c-1", "--json").stdout)["plan"]["screenings"]
    assert rows == [
        {
            "instrument": "phq9",
            "date": "2026-09-01",
            "value": 21,
            "band": "severe",
            "flags": ["risk-item9"],
        }
    ]


def test_concern_completion_reads_the_line_when_click_left_the_id_unparsed(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`add-goal c-1 --concern <TAB>`: the client id is read from $COMP_WORDS."""
    _intake(runner)
    monkeypatch.setenv("COMP_WORDS", "goaltrack add-goal c-1 --concern ")
    assert complete.concern_names(_Ctx({"client_id": None}), "") == [
        "depression",
        "relationship patterns",
    ]
    monkeypatch.setenv("COMP_WORDS", "goaltrack add-goal 'c-1")  # an open quote: nothing
    assert complete.concern_names(_Ctx({"client_id": None}), "") == []
