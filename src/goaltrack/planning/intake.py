"""What the intake screenings say: the latest screening per instrument, and the severity it
suggests for a concern.

The severity a clinician records on a concern stands; a screening only suggests one, and the
suggestion is named in `suggest`'s reasons. For the PHQ-9 the suggestion follows NICE NG222's
line on the *score* (>= 16 "more severe"), not the band name: PHQ-9 15 is "moderately severe"
by band but "less severe" by NG222 (docs/clinical-planning.md, section 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from goaltrack.measures.instruments import Instrument
from goaltrack.records.enums import PHQ9_KEY, Severity
from goaltrack.records.model import ClientRecord, Screening

#: NICE NG222 (2022): PHQ-9 >= 16 is "more severe" depression, below it "less severe".
PHQ9_MORE_SEVERE = 16

SEVERITY_ORDER = (Severity.MILD, Severity.MODERATE, Severity.SEVERE, Severity.CRISIS)


@dataclass(frozen=True)
class SeverityHint:
    """The severity a screening suggests, with its score, band and the rule it follows."""

    severity: Severity
    instrument: str
    value: int | float
    band: str | None
    rule: str

    def reason(self) -> str:
        """The hint as a reason line: "PHQ-9 16 at intake (moderately severe): suggests ..."."""
        band = f" ({self.band})" if self.band else ""
        return (
            f"{short_name(self.instrument)} {self.value:g} at intake{band}: suggests "
            f"{self.severity.value} ({self.rule})"
        )


def short_name(key: str) -> str:
    """An instrument key as clinicians write it: phq9 -> PHQ-9, core10 -> CORE-10."""
    match = re.fullmatch(r"([a-z]+)(\d+)", key)
    return f"{match[1].upper()}-{match[2]}" if match else key.upper()


def latest_screening(record: ClientRecord, instrument: str) -> Screening | None:
    """The client's latest screening with this instrument (the later recorded on a tie)."""
    latest: Screening | None = None
    for screening in record.client.screenings:
        if screening.instrument == instrument and (latest is None or screening.date >= latest.date):
            latest = screening
    return latest


def severity_hint(screening: Screening, instrument: Instrument) -> SeverityHint | None:
    """The severity a screening suggests, or None when its instrument has no bands to read.

    PHQ-9: NG222's score line (>= 16 severe, 10-15 moderate, below 10 mild). Other
    instruments: the word in the band label ("severe", "moderate"; anything lower is mild).
    """
    value = screening.value
    band = instrument.band_for(value)
    if instrument.key == PHQ9_KEY:
        if value >= PHQ9_MORE_SEVERE:
            severity, rule = Severity.SEVERE, "NICE NG222: PHQ-9 >= 16 is more severe"
        elif value >= (instrument.case_threshold() or 10):
            severity, rule = Severity.MODERATE, "NICE NG222: less severe, above caseness"
        else:
            severity, rule = Severity.MILD, "NICE NG222: less severe"
        return SeverityHint(severity, instrument.key, value, band, rule)
    if band is None:
        return None
    words = band.casefold()
    if "severe" in words:
        severity = Severity.SEVERE
    elif "moderate" in words:
        severity = Severity.MODERATE
    else:
        severity = Severity.MILD
    return SeverityHint(severity, instrument.key, value, band, f"{instrument.key} band")


def higher(first: Severity, second: Severity) -> Severity:
    """The more severe of two severities (the most pressing issue first)."""
    return max(first, second, key=SEVERITY_ORDER.index)
