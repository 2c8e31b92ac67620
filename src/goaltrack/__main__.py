"""Allow `python -m goaltrack`."""

from __future__ import annotations

from goaltrack.cli.app import main

if __name__ == "__main__":
    main()
