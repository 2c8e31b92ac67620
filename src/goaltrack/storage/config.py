"""The user's settings file, `config.toml` in the home: per-instrument measurement schedules.

```toml
[schedule]           # a new goal measured by this instrument is measured this often
phq9 = "session"
gad7 = "2w"
```

Read only by the commands that use it (`add-goal`); an absent file means no defaults. Every
value goes through the conversion layer; a malformed file is a data error (exit 3) that names
the file, the key and the rule, never the value.
"""

from __future__ import annotations

from pathlib import Path

from goaltrack.errors import DataError
from goaltrack.records.convert import (
    SCHEDULE_RULE,
    is_measure_key,
    is_schedule,
    toml_error_line,
)

CONFIG_FILE = "config.toml"


class ConfigFileError(DataError):
    """The home's config.toml does not parse or breaks a rule: exit 3, naming file and key."""


def default_schedules(home: Path) -> dict[str, str]:
    """Instrument key -> default schedule (`session`, `2w`, ...), from `home`/config.toml."""
    path = home / CONFIG_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigFileError(
            f"cannot read {path}: {error.strerror or type(error).__name__}"
        ) from None
    import tomllib

    try:
        text = raw.decode("utf-8")
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigFileError(f"{path}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        line = toml_error_line(error, text)
        where = f" (line {line})" if line else ""
        raise ConfigFileError(f"{path}: not valid TOML{where}") from None
    table = document.get("schedule", {})
    if not isinstance(table, dict):
        raise ConfigFileError(f"{path}: [schedule] must be a table of instrument = schedule")
    schedules = {}
    for key, value in table.items():
        if not is_measure_key(key):
            raise ConfigFileError(f"{path}: [schedule] {key!r} is not an instrument key")
        text_value = value.strip().lower() if isinstance(value, str) else ""
        if not is_schedule(text_value):
            raise ConfigFileError(f"{path}: [schedule] {key}: {SCHEDULE_RULE}")
        schedules[key] = text_value
    return schedules
