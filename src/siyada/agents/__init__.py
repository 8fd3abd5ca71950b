"""siyada.agents (filled in by its issue)."""
