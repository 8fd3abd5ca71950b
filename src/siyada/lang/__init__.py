"""siyada.lang (filled in by its issue)."""
