"""Rebuild the fictional example caseload in examples/caseload/ (run from the repository root).

    python examples/build_caseload.py

Every client, goal and score here is invented for demonstration. Entry ids come from a
seeded generator so that rebuilding gives the same files.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from goaltrack.records.model import (
    Client,
    ClientRecord,
    Concern,
    Goal,
    Intervention,
    Objective,
    ProgressEntry,
)
from goaltrack.storage.store import Store

HOME = Path(__file__).resolve().parent / "caseload"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
rng = random.Random(1042)


def entry_id() -> str:
    return "".join(rng.choice(CROCKFORD) for _ in range(10))


def series(
    start: date,
    values: list[float],
    every: int = 7,
    first_session: int = 1,
    rater: str = "client",
    notes: dict[int, str] | None = None,
) -> list[ProgressEntry]:
    notes = notes or {}
    return [
        ProgressEntry(
            id=entry_id(),
            date=start + timedelta(days=every * i),
            value=value,
            session=first_session + i,
            rater=rater,
            note=notes.get(i),
        )
        for i, value in enumerate(values)
    ]


def goal(number: int, **fields) -> Goal:  # type: ignore[no-untyped-def]
    return Goal(number=number, **fields)


CLIENTS = [
    ClientRecord(
        client=Client(
            id="c-1042",
            name="Alex R.",
            created=date(2026, 9, 1),
            approaches=["cbt", "mindfulness"],
            preferences=["practical homework", "involve family"],
            strengths=["supportive sister", "plays football"],
            notes="Prefers evening sessions; values family involvement.",
            concerns=[
                Concern(name="depression", severity="severe"),
                Concern(name="generalised anxiety", severity="moderate"),
            ],
        ),
        goals=[
            goal(
                1,
                kind="symptom-reduction",
                title="Reduce depressive symptoms",
                concern="depression",
                measure="phq9",
                baseline=19,
                target=9,
                due=date(2026, 12, 15),
                priority="high",
                approach="cbt",
                created=date(2026, 9, 1),
                objectives=[
                    Objective(
                        number=1, text="Schedule three valued activities a week", status="met"
                    ),
                    Objective(
                        number=2,
                        text="Keep a weekly mood and activity diary",
                        due=date(2026, 12, 15),
                    ),
                ],
                interventions=[
                    Intervention(number=1, technique="behavioural activation", approach="cbt"),
                    Intervention(number=2, technique="cognitive restructuring", approach="cbt"),
                ],
                progress=series(
                    date(2026, 9, 1),
                    [19, 18, 17, 17, 15, 14, 13, 12, 11, 10, 9, 8],
                    notes={2: "Slept better this week.", 6: "Returned to weekly football."},
                ),
            ),
            goal(
                2,
                kind="symptom-reduction",
                title="Worry less about work",
                concern="generalised anxiety",
                measure="gad7",
                baseline=14,
                target=7,
                due=date(2027, 1, 31),
                priority="medium",
                approach="mindfulness",
                created=date(2026, 9, 1),
                progress=series(date(2026, 9, 1), [14, 14, 13, 12, 12, 11, 11, 10, 10, 9, 9, 9]),
            ),
            goal(
                3,
                kind="coping",
                title="Use breathing skills when panicky",
                concern="generalised anxiety",
                measure="gbo",
                baseline=3,
                target=8,
                due=date(2026, 12, 31),
                priority="medium",
                approach="cbt",
                created=date(2026, 9, 15),
                progress=series(date(2026, 9, 15), [3, 4, 4, 5, 6, 6, 7, 7, 8], first_session=3),
            ),
        ],
    ),
    ClientRecord(
        client=Client(
            id="c-2077",
            name="Sam K.",
            created=date(2026, 8, 18),
            approaches=["emdr", "cbt"],
            notes="Night shifts; sessions on Tuesdays.",
            concerns=[
                Concern(name="post-traumatic stress", severity="severe"),
                Concern(name="sleep", severity="moderate"),
            ],
        ),
        goals=[
            goal(
                1,
                kind="trauma-resolution",
                title="Process the road accident memories",
                concern="post-traumatic stress",
                measure="pcl5",
                baseline=54,
                target=32,
                due=date(2027, 2, 28),
                priority="high",
                approach="emdr",
                created=date(2026, 8, 18),
                progress=series(
                    date(2026, 8, 18), [54, 53, 51, 50, 47, 46, 44, 41, 40, 38, 37, 35, 34, 33]
                ),
            ),
            goal(
                2,
                kind="trauma-resolution",
                title="Drive past the junction calmly",
                concern="post-traumatic stress",
                measure="suds",
                baseline=85,
                target=30,
                due=date(2027, 1, 15),
                priority="high",
                approach="emdr",
                created=date(2026, 9, 1),
                progress=series(
                    date(2026, 9, 1),
                    [85, 80, 80, 70, 65, 60, 55, 50, 50, 45, 40],
                    first_session=3,
                    notes={3: "First drive with a friend."},
                ),
            ),
            goal(
                3,
                kind="relationships",
                title="Talk with partner about the accident",
                measure="gbo",
                baseline=2,
                target=7,
                priority="medium",
                approach="cbt",
                created=date(2026, 9, 29),
                progress=series(date(2026, 9, 29), [2, 3, 3, 4, 5, 5, 6], every=7, first_session=7),
            ),
        ],
    ),
    ClientRecord(
        client=Client(
            id="c-3150",
            name="Jordan P.",
            created=date(2026, 9, 8),
            approaches=["humanistic"],
            notes="Values creativity; first-generation university student.",
            concerns=[Concern(name="low self-esteem", severity="moderate")],
        ),
        goals=[
            goal(
                1,
                kind="self-esteem",
                title="Feel more worthwhile",
                concern="low self-esteem",
                measure="rses",
                baseline=11,
                target=20,
                due=date(2027, 3, 1),
                priority="high",
                approach="humanistic",
                created=date(2026, 9, 8),
                progress=series(
                    date(2026, 9, 8), [11, 12, 12, 13, 15, 15, 16, 17, 17, 18], every=8
                ),
            ),
            goal(
                2,
                kind="autonomy",
                title="Choose a course without asking permission",
                concern="low self-esteem",
                measure="gas",
                baseline=-1,
                target=0,
                due=date(2026, 12, 20),
                priority="medium",
                created=date(2026, 9, 8),
                progress=series(
                    date(2026, 9, 22),
                    [-1, -1, 0, 0, 1],
                    every=14,
                    first_session=3,
                    rater="therapist",
                ),
            ),
            goal(
                3,
                kind="relationships",
                title="Say no to a friend's request",
                measure="gas",
                baseline=-2,
                target=0,
                due=date(2026, 12, 20),
                priority="low",
                created=date(2026, 9, 8),
                progress=series(
                    date(2026, 9, 22), [-2, -1, -1, 0], every=14, first_session=3, rater="therapist"
                ),
            ),
        ],
    ),
    ClientRecord(
        client=Client(
            id="c-4208",
            name="Riley M.",
            created=date(2026, 7, 14),
            status="active",
            approaches=["family", "cbt"],
            notes="Lives with parents; family sessions monthly.",
            concerns=[
                Concern(name="family conflict", severity="moderate"),
                Concern(name="low mood", severity="mild"),
            ],
        ),
        goals=[
            goal(
                1,
                kind="relationships",
                title="Fewer arguments at home",
                concern="family conflict",
                measure="gbo",
                baseline=4,
                target=8,
                due=date(2026, 12, 1),
                priority="high",
                approach="family",
                created=date(2026, 7, 14),
                progress=series(date(2026, 7, 14), [4, 4, 5, 5, 5, 6, 5, 5], every=14),
            ),
            goal(
                2,
                kind="coping",
                title="Cool down before replying",
                concern="family conflict",
                measure="rating",
                baseline=3,
                target=7,
                priority="medium",
                approach="cbt",
                created=date(2026, 7, 28),
                progress=series(date(2026, 7, 28), [3, 3, 4, 4, 5, 5, 6], every=14),
            ),
            goal(
                3,
                kind="symptom-reduction",
                title="Lift low mood",
                concern="low mood",
                measure="core10",
                baseline=17,
                target=10,
                due=date(2027, 1, 31),
                priority="medium",
                approach="cbt",
                created=date(2026, 7, 14),
                progress=series(
                    date(2026, 7, 14),
                    [17, 18, 18, 20, 21, 23, 24, 24],
                    every=14,
                    notes={5: "Exam stress; discussed in supervision."},
                ),
            ),
            goal(
                4,
                kind="autonomy",
                title="Part-time job search",
                measure="gbo",
                baseline=2,
                target=6,
                priority="low",
                status="paused",
                created=date(2026, 8, 11),
                progress=series(date(2026, 8, 11), [2, 3, 3], every=14),
            ),
        ],
    ),
]


def main() -> None:
    if (HOME / "clients").exists():
        shutil.rmtree(HOME / "clients")
    HOME.mkdir(mode=0o700, exist_ok=True)
    HOME.chmod(0o700)
    store = Store(HOME)
    for record in CLIENTS:
        store.create(record)
    for lock in (HOME / "clients").glob("*.lock"):
        lock.unlink()
    print(f"wrote {len(CLIENTS)} clients to {HOME / 'clients'}")


if __name__ == "__main__":
    main()
