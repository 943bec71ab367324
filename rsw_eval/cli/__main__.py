"""``python -m rsw_eval.cli``: the same as the ``rsw-eval`` command."""

import sys

from rsw_eval.cli._main import main

sys.exit(main())
