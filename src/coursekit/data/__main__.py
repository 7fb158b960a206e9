"""``python -m coursekit.data [DIRECTORY] [--only NAME ...]``: regenerate the datasets (``make data``)."""

import sys

from coursekit.data.registry import main

if __name__ == "__main__":
    sys.exit(main())
