"""`python -m runtime plan MODEL`, `python -m runtime generate ...` (the chat is `deskseek chat`)."""
import sys

from runtime.cli import main

sys.exit(main())
