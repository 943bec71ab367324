"""Size and coverage simulations (``make validate``); not part of ``make test``."""
