"""The HTTP API: OpenAI/Mistral-compatible gateway plus Siyada's own resources."""
