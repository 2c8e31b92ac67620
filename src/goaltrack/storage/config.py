"""The home's config.toml: settings a practice keeps with its data.

```toml
[raters]             # raters beyond the documented set (client, therapist, parent, ...)
extra = ["grandmother", "school-nurse"]

[schedule]           # a new goal measured by this instrument is measured this often
phq9 = "session"
gad7 = "2w"
```

Read only by the commands that need it (a `--rater`, a chart by rater, `add-goal`'s default
schedule), so a mistake in it never stops the others; an absent file means the defaults. Every
mistake is one line naming the file and the table or key (exit 3), never the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goaltrack.errors import ConfigFileError
from goaltrack.records.convert import (
    RATER_NAME_RULE,
    SCHEDULE_RULE,
    is_measure_key,
    is_rater_name,
    is_schedule,
    toml_error_line,
)
from goaltrack.records.enums import Rater

__all__ = ["CONFIG_FILE", "Config", "ConfigFileError", "default_schedules", "load_config"]

CONFIG_FILE = "config.toml"
#: The tables config.toml may hold, and their fixed keys (None: any instrument key). Anything
#: else is a typo, refused by name.
KNOWN: dict[str, set[str] | None] = {"raters": {"extra"}, "schedule": None}


@dataclass(frozen=True)
class Config:
    """What the home's config.toml says (defaults when there is none)."""

    extra_raters: tuple[str, ...] = ()
    #: Instrument key -> the schedule a new goal measured by it gets (`session`, `2w`, ...).
    schedules: dict[str, str] = field(default_factory=dict)


def load_config(home: Path) -> Config:
    """The home's config.toml, validated; Config() when the file does not exist."""
    import tomllib  # only for a command that needs the config

    path = home / CONFIG_FILE
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return Config()
    except UnicodeDecodeError:
        raise ConfigFileError(f"{path}: not valid UTF-8") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigFileError(f"cannot read {path}: {reason}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = toml_error_line(error, text)
        where = f" (line {line})" if line else ""
        raise ConfigFileError(f"{path}: not valid TOML{where}") from None
    for table, value in document.items():
        if table not in KNOWN or not isinstance(value, dict):
            raise ConfigFileError(
                f"{path}: unknown setting {table!r}; known: [raters] extra, [schedule]"
            )
        keys = KNOWN[table]
        unknown = sorted(set(value) - keys) if keys is not None else []
        if unknown:
            raise ConfigFileError(
                f"{path}: [{table}]: unknown key(s) {', '.join(unknown)}; known: "
                f"{', '.join(sorted(keys or ()))}"
            )
    extra = document.get("raters", {}).get("extra", [])
    return Config(
        extra_raters=_extra_raters(extra, path),
        schedules=_schedules(document.get("schedule", {}), path),
    )


def default_schedules(home: Path) -> dict[str, str]:
    """Instrument key -> default schedule (`session`, `2w`, ...), from `home`/config.toml."""
    return load_config(home).schedules


def _extra_raters(extra: object, path: Path) -> tuple[str, ...]:
    """The extra rater names, each checked: well formed, not documented already, once."""
    where = f"{path}: [raters] extra"
    if not isinstance(extra, list) or not all(isinstance(name, str) for name in extra):
        raise ConfigFileError(f'{where} must be a list of names, e.g. ["grandmother"]')
    names: list[str] = []
    for position, name in enumerate(extra, start=1):
        if not is_rater_name(name):
            raise ConfigFileError(f"{where}: name {position} {RATER_NAME_RULE}")
        if name in {rater.value for rater in Rater} or name in names:
            raise ConfigFileError(f"{where}: {name!r} is listed already (or is a documented rater)")
        names.append(name)
    return tuple(names)


def _schedules(table: dict[str, Any], path: Path) -> dict[str, str]:
    """The [schedule] table: instrument keys to schedules, each checked."""
    schedules = {}
    for key, value in table.items():
        if not is_measure_key(key):
            raise ConfigFileError(f"{path}: [schedule] {key!r} is not an instrument key")
        text_value = value.strip().lower() if isinstance(value, str) else ""
        if not is_schedule(text_value):
            raise ConfigFileError(f"{path}: [schedule] {key}: {SCHEDULE_RULE}")
        schedules[key] = text_value
    return schedules
