"""Where the suite's data lives: policies/ (catalogue, checks), features/ and reference/.

One answer for every module (`ROOT`), found in this order:

1. a checkout: the folder holding src/ (an editable install, or running from the clone);
2. a pre-commit clone: pre-commit installs the hook repository non-editable into a
   virtualenv inside its clone (`<clone>/py_env-python3.X`), so the clone is the
   virtualenv's parent;
3. the copy bundled in the package (`fdk_guard/bundled/`), which a non-editable
   `pip install .` (or a wheel) carries: setup.py copies the three folders in at build time.
"""

from __future__ import annotations

import sys
from pathlib import Path

BUNDLED = "bundled"
MARKER = Path("policies") / "catalogue.yaml"


def suite_root(package_file: Path = Path(__file__), prefix: Path = Path(sys.prefix)) -> Path:
    """The folder holding policies/, features/ and reference/ (see the module docstring).

    With none of them present, the checkout's place, so an error names where it looked.
    """
    package = package_file.resolve().parent
    beside = package.parents[1]
    candidates = (beside, prefix.resolve().parent, package / BUNDLED)
    return next((c for c in candidates if (c / MARKER).is_file()), beside)


ROOT = suite_root()
