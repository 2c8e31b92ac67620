"""goaltrack: track psychotherapy goals, their measures and their progress."""

from __future__ import annotations

__version__ = "0.1.0"
