"""``python -m prefixcode``: the same as the ``prefixcode`` command."""

import sys

from .cli import main

sys.exit(main())
