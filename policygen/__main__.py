"""`python -m policygen` runs the command line."""

import sys

from policygen.cli import main

sys.exit(main())
