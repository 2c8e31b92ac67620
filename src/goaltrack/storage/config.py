"""The home's config.toml: settings a practice keeps with its data. Today, its own raters.

```toml
[raters]
extra = ["grandmother", "school-nurse"]
```

Read only by the commands that need it (a `--rater`, a chart by rater), so a mistake in it
never stops the others. Every mistake is one line naming the file and the key (exit 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from goaltrack.errors import ConfigFileError
from goaltrack.records.convert import RATER_NAME_RULE, is_rater_name, toml_error_line
from goaltrack.records.enums import Rater

CONFIG_FILE = "config.toml"
#: The tables and keys config.toml may hold: anything else is a typo, refused by name.
KNOWN = {"raters": {"extra"}}


@dataclass(frozen=True)
class Config:
    """What the home's config.toml says (defaults when there is none)."""

    extra_raters: tuple[str, ...] = ()


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
            raise ConfigFileError(f"{path}: unknown setting {table!r}; known: [raters] extra")
        unknown = sorted(set(value) - KNOWN[table])
        if unknown:
            raise ConfigFileError(
                f"{path}: [{table}]: unknown key(s) {', '.join(unknown)}; known: "
                f"{', '.join(sorted(KNOWN[table]))}"
            )
    extra = document.get("raters", {}).get("extra", [])
    return Config(extra_raters=_extra_raters(extra, path))


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
