"""siyada.rag (filled in by its issue)."""
