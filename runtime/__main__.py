"""`python -m runtime plan MODEL`, `python -m runtime chat MODEL`, `python -m runtime generate ...`."""
import sys

from runtime.cli import main

sys.exit(main())
