"""One router per resource; ``siyada.serve.app`` includes them in ``ROUTERS`` order."""
