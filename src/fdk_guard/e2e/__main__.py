"""python -m fdk_guard.e2e: the same as `fdk-guard e2e`."""

import sys

from fdk_guard.e2e import main

sys.exit(main())
