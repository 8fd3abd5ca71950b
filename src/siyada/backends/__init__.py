"""Model runtimes behind one protocol (``base.Backend``), chosen by name in ``registry``."""
