"""Siyada: sovereign AI for organisations that keep their data on their own machines.

The package tree is the architecture: ``lang`` (language toolkit), ``backends`` (model
runtimes behind one protocol), ``rag`` (knowledge bases), ``agents``, ``serve`` (HTTP API),
``web`` (chat page) and ``cli``. Importing ``siyada`` imports nothing heavy.
"""

__version__ = "0.1.0"
