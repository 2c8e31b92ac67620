"""A large read keeps freed memory for the process (storage/memory.py), and only a large read."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

from goaltrack.storage.memory import keep_freed_memory

CHILD = """
import sys
from pathlib import Path
from goaltrack.storage import reading
path = Path(sys.argv[1])
try:
    reading.read_client_file(path, path.stem, path.parent)
except Exception:
    pass
print("ctypes" in sys.modules)
"""


def _loads_ctypes(path: Path) -> bool:
    """Whether reading `path` in a fresh process turned the malloc setting on (ctypes)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip() == "True"


def test_the_setting_is_taken_where_glibc_has_mallopt() -> None:
    """Where the C library is glibc, mallopt accepts both parameters; elsewhere nothing."""
    assert keep_freed_memory() is (platform.libc_ver()[0] == "glibc")


def test_a_typical_file_does_not_load_ctypes(tmp_path: Path) -> None:
    """A small client file is read without the setting (ctypes costs more than it saves)."""
    path = tmp_path / "c-1.toml"
    path.write_text('schema_version = 2\n[client]\nid = "c-1"\n', encoding="utf-8")
    assert not _loads_ctypes(path)


def test_a_large_file_turns_the_setting_on(tmp_path: Path) -> None:
    """A file of READ_IN_PARTS_FROM bytes or more turns it on before it is parsed."""
    path = tmp_path / "c-1.toml"
    path.write_text("# padding\n" * 30_000, encoding="utf-8")
    assert _loads_ctypes(path)


def test_a_record_is_kept_until_exit_only_in_a_one_command_process() -> None:
    """keep_until_exit holds nothing in this (test) process; in a one-command one it holds."""
    code = (
        "import sys\n"
        "from goaltrack.storage import memory\n"
        "memory.keep_until_exit('a')\n"
        "before = len(memory._Lifetime.kept)\n"
        "memory.one_command_process()\n"
        "memory.keep_until_exit('b', 'c')\n"
        "print(before, len(memory._Lifetime.kept))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "2"]
