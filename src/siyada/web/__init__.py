"""The web chat page served at ``/`` (local assets only: no CDN, no build step)."""
