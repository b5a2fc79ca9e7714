"""`python -m pdj_cli.completion [DIR]`: regenerate the checked-in completion scripts."""

import sys

from pdj_cli.completion import main

sys.exit(main(sys.argv[1:]))
