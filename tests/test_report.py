"""`goaltrack report`: audiences, escaping, private files, default names, caseload counts."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack import reporting, supervision
from goaltrack.records.model import ClientRecord
from goaltrack.render import report_page
from goaltrack.storage import store
from helpers import ENTRY_NOTE, EXAMPLES, PRIVATE_NOTE, SCRIPT, hostile_client, invoke

TODAY = date(2026, 11, 28)
CLIENTS = ["c-1042", "c-2077", "c-3150", "c-4208"]
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def report(home: Path, *args: str) -> tuple[int, str]:
    """Run `goaltrack report` on `home` as of TODAY; its exit code and everything it said."""
    env = {"GOALTRACK_AS_OF": TODAY.isoformat()}
    runner = CliRunner(env=env)
    result = invoke(runner, "--home", str(home), "report", *args)
    return result.exit_code, result.output


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A home with c-9001: script tags, private notes, an open item-9 flag."""
    home = tmp_path / "home"
    hostile_client(home)
    return home


@pytest.mark.parametrize("audience", ["clinician", "client", "referrer"])
def test_script_is_text_in_html(hostile: Path, tmp_path: Path, audience: str) -> None:
    """<script> in a concern, title and notes is escaped text in every HTML report."""
    out = tmp_path / "r.html"
    code, said = report(hostile, "c-9001", "--audience", audience, "-o", str(out))
    assert code == 0, said
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert ESCAPED in page


@pytest.mark.parametrize("audience", ["clinician", "client", "referrer"])
def test_script_is_text_in_markdown(hostile: Path, tmp_path: Path, audience: str) -> None:
    """<script> is escaped in every Markdown report: every `<` is backslash-escaped."""
    out = tmp_path / "r.md"
    code, said = report(hostile, "c-9001", "-f", "md", "--audience", audience, "-o", str(out))
    assert code == 0, said
    text = out.read_text(encoding="utf-8")
    assert "\\<script>alert(1)\\</script>" in text
    assert re.search(r"(?<!\\)<", text) is None


def test_clinician_report_has_notes_and_risk(hostile: Path, tmp_path: Path) -> None:
    """The clinician's report holds the private notes, entry notes and the open flag."""
    out = tmp_path / "r.html"
    assert report(hostile, "c-9001", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert PRIVATE_NOTE in page
    assert ENTRY_NOTE in page
    assert "RISK: PHQ-9 item 9" in page


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_client_audience_leaves_out_notes_and_risk(hostile: Path, tmp_path: Path, fmt: str) -> None:
    """The client's report holds no private note, entry note, risk flag or entry id."""
    out = tmp_path / f"r.{fmt}"
    code, said = report(hostile, "c-9001", "--audience", "client", "-f", fmt, "-o", str(out))
    assert code == 0, said
    text = out.read_text(encoding="utf-8")
    record = store.load("c-9001", hostile)
    entry_ids = [entry.id for goal in record.goals for entry in goal.progress]
    for secret in [PRIVATE_NOTE, ENTRY_NOTE, "RISK", "item 9", "item-9", "safety", *entry_ids]:
        assert secret not in text, secret


def test_referrer_gets_the_flag_without_details(hostile: Path, tmp_path: Path) -> None:
    """The referrer's page names the open flag and its date, but no answers, ids or notes."""
    out = tmp_path / "r.html"
    assert report(hostile, "c-9001", "--audience", "referrer", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert "Open safety flag: PHQ-9 item 9" in page
    assert "endorsed on 2026-09-29" in page
    record = store.load("c-9001", hostile)
    for secret in [PRIVATE_NOTE, ENTRY_NOTE, "answer 2", *(e.id for e in record.goals[0].progress)]:
        assert secret not in page, secret


def test_risk_is_warned_whatever_the_audience(hostile: Path, tmp_path: Path) -> None:
    """Writing even the client's report tells the clinician of the open flag on stderr."""
    code, said = report(hostile, "c-9001", "--audience", "client", "-o", str(tmp_path / "r.html"))
    assert code == 0
    assert "RISK: PHQ-9 item 9" in said


def test_report_file_is_private_and_named_by_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without -o the report is report-ID-DATE.html in the current folder, mode 0600, and
    its name and stdout carry the id, never the client's name."""
    monkeypatch.chdir(tmp_path)
    code, said = report(EXAMPLES, "c-1042")
    assert code == 0, said
    name = f"report-c-1042-{date.today().isoformat()}.html"
    assert said.splitlines()[-1] == name
    assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600
    assert os.listdir(tmp_path) == [name]


def test_dash_writes_the_page_to_stdout_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o -` prints the page (for a pipe) and leaves no file, not even one named `-`."""
    monkeypatch.chdir(tmp_path)
    code, said = report(EXAMPLES, "c-1042", "-f", "md", "-o", "-")
    assert code == 0, said
    assert said.startswith("# ")
    assert "Reduce depressive symptoms" in said
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("target", ["clients/c-1042.toml", "clients/new.html", "elsewhere.toml"])
def test_never_over_a_client_file(tmp_path: Path, target: str) -> None:
    """-o naming a client file, the clients folder or a .toml name exits 1; nothing changes."""
    home = tmp_path / "home"
    (home / "clients").mkdir(parents=True)
    source = (EXAMPLES / "clients" / "c-1042.toml").read_bytes()
    (home / "clients" / "c-1042.toml").write_bytes(source)
    before = sorted(p.name for p in (home / "clients").iterdir())
    code, said = report(home, "c-1042", "-o", str(home / target))
    assert code == 1
    assert "client file" in said
    assert (home / "clients" / "c-1042.toml").read_bytes() == source
    assert sorted(p.name for p in (home / "clients").iterdir()) == before
    assert not (home / target).exists() or target == "clients/c-1042.toml"


def test_never_through_a_link_to_a_client_file(tmp_path: Path) -> None:
    """-o naming a symlink to a client file is refused; the client file is unchanged."""
    home = tmp_path / "home"
    (home / "clients").mkdir(parents=True)
    source = (EXAMPLES / "clients" / "c-1042.toml").read_bytes()
    (home / "clients" / "c-1042.toml").write_bytes(source)
    link = tmp_path / "report.html"
    link.symlink_to(home / "clients" / "c-1042.toml")
    code, said = report(home, "c-1042", "-o", str(link))
    assert code == 1
    assert "client file" in said
    assert (home / "clients" / "c-1042.toml").read_bytes() == source


def test_caseload_default_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without -o the supervision page is supervision-DATE.html, mode 0600."""
    monkeypatch.chdir(tmp_path)
    code, said = report(EXAMPLES, "--caseload")
    assert code == 0, said
    name = f"supervision-{date.today().isoformat()}.html"
    assert os.listdir(tmp_path) == [name]
    assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600


def test_page_is_self_contained() -> None:
    """The HTML loads nothing: no script, no link, no src or url() to fetch, CSS inline."""
    record = store.load("c-1042", EXAMPLES)
    data = reporting.client_report(record, audience="clinician", as_of=TODAY, produced=TODAY)
    page = report_page.render_client(data, "html")
    assert "<script" not in page
    assert "<link" not in page
    assert re.search(r"\ssrc=|url\(|@import|https?://(?!www\.w3\.org/2000/svg)", page) is None
    assert "<style>" in page and "@media print" in page and "@page" in page
    assert page.count("<svg ") == 3


def test_referrer_page_is_a_summary_without_charts() -> None:
    """The referrer's page is a table of goals (no charts, no data tables)."""
    record = store.load("c-1042", EXAMPLES)
    data = reporting.client_report(record, audience="referrer", as_of=TODAY, produced=TODAY)
    page = report_page.render_client(data, "html")
    assert "<svg" not in page
    assert "Data of goal" not in page
    assert "<td>Reduce depressive symptoms</td>" in page


def test_since_limits_the_data_tables(tmp_path: Path) -> None:
    """--since leaves earlier entries out of the charts and data tables."""
    out = tmp_path / "r.md"
    code, said = report(EXAMPLES, "c-1042", "-f", "md", "--since", "2026-11-01", "-o", str(out))
    assert code == 0, said
    text = out.read_text(encoding="utf-8")
    assert "| 2026-11-03 | 10 | client |  |" in text
    assert "| 2026-10-27 |" not in text


def test_caseload_counts_over_the_example_caseload() -> None:
    """Hand-checked: c-1042 improved (IAPT, still a case), c-2077 improved (PCL-5 54 -> 33,
    NCPTSD), c-3150 and c-4208 have no goal with a change rule; weeks 11, 13, 10.3, 14."""
    records = [store.load(client, EXAMPLES) for client in CLIENTS]
    data = supervision.caseload_report(records, as_of=TODAY, produced=TODAY)
    assert [(c["client"], c["outcome"], c["by"], c["weeks"]) for c in data.clients] == [
        ("c-1042", "improved", "IAPT", 11.0),
        ("c-2077", "improved", "goal rules", 13.0),
        ("c-3150", "not measured", None, 10.3),
        ("c-4208", "not measured", None, 14.0),
    ]
    assert data.overall == supervision.OutcomeCounts("all clients", 4, 2, 2, 0, 0, 0, 12.0)
    assert data.by_approach == [
        supervision.OutcomeCounts("cbt", 3, 2, 2, 0, 0, 0, 13.0),
        supervision.OutcomeCounts("emdr", 1, 1, 1, 0, 0, 0, 13.0),
        supervision.OutcomeCounts("family", 1, 0, 0, 0, 0, 0, 14.0),
        supervision.OutcomeCounts("humanistic", 1, 0, 0, 0, 0, 0, 10.3),
        supervision.OutcomeCounts("mindfulness", 1, 1, 1, 0, 0, 0, 11.0),
    ]
    assert data.attention is None


def test_caseload_counts_recovery_and_deterioration(tmp_path: Path) -> None:
    """Hand-checked on a built caseload: PHQ-9 19 -> 8 recovered, 10 -> 18 deteriorated,
    12 -> 10 no reliable change (each PHQ-9 only: judged by the goal's IAPT rule)."""
    home = tmp_path / "home"
    runner = CliRunner()
    for client, approach, first, last in [
        ("c-a", "cbt", 19, 8),
        ("c-b", "cbt", 10, 18),
        ("c-c", "family", 12, 10),
    ]:
        for step in (
            ["new-client", client, "--approach", approach, "--since", "2026-09-01"],
            ["add-goal", client, "symptom-reduction", "Mood", "--measure", "phq9"],
            ["log", client, "1", str(first), "--date", "2026-09-01"],
            ["log", client, "1", str(last), "--date", "2026-10-13"],
        ):
            assert invoke(runner, "--home", str(home), *step).exit_code == 0
    out = tmp_path / "caseload.md"
    code, said = report(home, "--caseload", "-f", "md", "-o", str(out))
    assert code == 0, said
    text = out.read_text(encoding="utf-8")
    assert "| all clients | 3 | 3 | 1 | 1 | 1 | 1 | 6 |" in text
    assert "| cbt | 2 | 2 | 1 | 1 | 1 | 0 | 6 |" in text
    assert "| family | 1 | 1 | 0 | 0 | 0 | 1 | 6 |" in text
    assert "| c-b | cbt | deteriorated | goal rules | 6 |" in text


def test_caseload_page_shows_open_flags_and_charts(hostile: Path, tmp_path: Path) -> None:
    """The supervision page lists the open item-9 flag and draws one outcome chart a group."""
    out = tmp_path / "caseload.html"
    code, said = report(hostile, "--caseload", "-o", str(out))
    assert code == 0, said
    page = out.read_text(encoding="utf-8")
    assert "<strong>c-9001</strong>: RISK: PHQ-9 item 9" in page
    assert page.count('class="outcome-chart"') == 2  # all clients, cbt


def test_attention_provider_plugs_in() -> None:
    """An attention provider's rows appear on the supervision page, escaped."""
    records = [store.load("c-1042", EXAMPLES)]
    rows = [{"client": "c-1042", "goal": 2, "reason": "off-track", "detail": SCRIPT}]
    data = supervision.caseload_report(
        records, as_of=TODAY, produced=TODAY, attention=lambda recs, day: rows
    )
    page = report_page.render_caseload(data, "html")
    assert "<td>off-track</td><td>" + ESCAPED + "</td>" in page


def test_one_client_or_the_caseload(tmp_path: Path) -> None:
    """Neither a client nor --caseload, or both, is refused with exit 1."""
    assert report(EXAMPLES, "-o", str(tmp_path / "a.html"))[0] == 1
    assert report(EXAMPLES, "c-1042", "--caseload", "-o", str(tmp_path / "b.html"))[0] == 1
    assert os.listdir(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("argv", [["--help"], ["log", "--help"], ["report", "--help"]])
def test_jinja_is_loaded_only_to_write_a_report(argv: list[str]) -> None:
    """`--help`, `log` and even `report --help` import no jinja2 (nor rich for the first two)."""
    code = (
        "import sys\nfrom goaltrack.cli.app import app\n"
        f"try:\n    app({argv!r}, prog_name='goaltrack')\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'jinja2', 'rich'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_report_of_a_client_without_entries(tmp_path: Path) -> None:
    """A goal without entries gets its 'no entries yet' picture; a client without goals says so."""
    home = tmp_path / "home"
    runner = CliRunner()
    for step in (
        ["new-client", "c-new"],
        ["new-client", "c-bare"],
        ["add-goal", "c-new", "coping", "Walk daily", "--measure", "gbo", "--target", "7"],
    ):
        assert invoke(runner, "--home", str(home), *step).exit_code == 0
    out = tmp_path / "r.html"
    assert report(home, "c-new", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert ">no entries yet</text></svg>" in page
    assert "Data of goal 1" not in page
    assert report(home, "c-bare", "-o", str(out))[0] == 0
    assert "<p>No goals yet.</p>" in out.read_text(encoding="utf-8")


def test_caseload_of_an_empty_home(tmp_path: Path) -> None:
    """An empty caseload gives a page of zeros and no median, not an error."""
    out = tmp_path / "c.md"
    code, said = report(tmp_path / "home", "--caseload", "-f", "md", "-o", str(out))
    assert code == 0, said
    assert "| all clients | 0 | 0 | 0 | 0 | 0 | 0 |  |" in out.read_text(encoding="utf-8")


def _planned_record() -> ClientRecord:
    """A schema-2 client: preferences, strengths, a screening that raised item 9, a review of
    it, a closed episode, and a goal under a concern with objectives and interventions."""
    day = date(2026, 9, 1)
    return ClientRecord.model_validate(
        {
            "client": {
                "id": "c-plan",
                "created": date(2025, 1, 10),
                "since": day,
                "approaches": ["cbt"],
                "preferences": ["practical homework", SCRIPT],
                "strengths": ["supportive sister"],
                "notes": PRIVATE_NOTE,
                "concerns": [
                    {"name": "depression", "severity": "severe"},
                    {"name": "sleep", "severity": "mild"},
                ],
                "screenings": [
                    {
                        "id": "K3V9AAAAAA",
                        "date": day,
                        "instrument": "phq9",
                        "value": 21,
                        "responses": [3, 3, 2, 3, 2, 3, 2, 2, 1],
                        "flags": ["risk-item9"],
                    }
                ],
                "risk_reviews": [
                    {
                        "id": "M2Q8AAAAAA",
                        "date": date(2026, 9, 2),
                        "by": "therapist",
                        "outcome": "safety-plan",
                        "covers": ["K3V9AAAAAA"],
                        "note": "REVIEW-NOTE-9Z",
                    }
                ],
                "episodes": [{"number": 1, "since": date(2025, 1, 10), "until": date(2025, 6, 30)}],
            },
            "goals": [
                {
                    "number": 1,
                    "kind": "symptom-reduction",
                    "title": "Lift low mood",
                    "concern": "depression",
                    "measure": "phq9",
                    "target": 9,
                    "episode": 2,
                    "created": day,
                    "objectives": [
                        {"number": 1, "text": "three valued activities a week", "status": "met"},
                        {"number": 2, "text": SCRIPT, "due": date(2026, 12, 1)},
                    ],
                    "interventions": [
                        {"number": 1, "technique": "behavioural activation", "approach": "cbt"}
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_plan_preferences_and_screenings(tmp_path: Path, fmt: str) -> None:
    """Schema 2: the plan (concern -> goal -> objectives -> interventions), preferences,
    strengths, screenings, the risk review and the earlier episode are in the clinician's page."""
    home = tmp_path / "home"
    store.Store(home).create(_planned_record())
    out = tmp_path / f"r.{fmt}"
    code, said = report(home, "c-plan", "-f", fmt, "-o", str(out))
    assert code == 0, said
    raw = out.read_text(encoding="utf-8")
    assert re.search(r"(?<!\\)<script", raw) is None  # escaped in html, \< in Markdown
    text = re.sub(r"<[^>]+>", "", raw).replace("**", "")  # the words, without markup
    for shown in [
        "depression",
        "Goal 1: Lift low mood",
        "Objective 1: three valued activities a week (met)",
        "Intervention: behavioural activation (cbt)",
        "sleep (mild) · no goal yet",
        "practical homework",
        "supportive sister",
        "2026-09-01: Patient Health Questionnaire-9 21 (severe)",
        "2026-09-01, total 21, item-9 answer 1 (screening): not cleared; reviewed 2026-09-02 "
        "by therapist: safety-plan (REVIEW-NOTE-9Z)",
        "Episode 1: 2025-01-10 to 2025-06-30 (planned)",
    ]:
        assert shown in text, shown


def test_plan_for_the_client_without_screenings_or_reviews(tmp_path: Path) -> None:
    """The client's page has the plan and preferences, but no screening, review or episode."""
    home = tmp_path / "home"
    store.Store(home).create(_planned_record())
    out = tmp_path / "r.html"
    assert report(home, "c-plan", "--audience", "client", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert "Intervention: behavioural activation (cbt)" in page
    assert "practical homework" in page
    for secret in [
        "REVIEW-NOTE-9Z",
        "safety-plan",
        "item-9",
        "Screenings",
        "Episode 1",
        PRIVATE_NOTE,
    ]:
        assert secret not in page, secret


def test_no_plan_section_without_a_plan() -> None:
    """A file whose goals name no concern and have no objectives shows no plan section."""
    record = store.load("c-1042", EXAMPLES)
    for goal in record.goals:  # the example's plan taken away
        goal.concern, goal.objectives, goal.interventions = None, [], []
    data = reporting.client_report(record, audience="clinician", as_of=TODAY, produced=TODAY)
    assert data.plan == []
    assert 'id="plan"' not in report_page.render_client(data, "html")


def test_screenings_and_reviews_after_the_as_of_date_are_left_out() -> None:
    """As of the day before the screening, neither it nor its review is in the report."""
    data = reporting.client_report(
        _planned_record(), audience="clinician", as_of=date(2026, 8, 31), produced=TODAY
    )
    assert data.screenings == []
    assert data.risk_history == []
