"""Everything that turns results into text: tables, JSON, JSON Lines, CSV, charts."""
