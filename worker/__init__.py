"""pgattest's queue workers.

The worker reuses the library (plpython/pgattest: DSSE PAE, base64, key parsing, the
SQLSTATE registry), so plpython/ goes on sys.path when the package is imported from a
checkout (`python -m worker.rekor_worker ...` from the repository root).
"""

import sys
from pathlib import Path

_PYLIB = str(Path(__file__).resolve().parents[1] / "plpython")
if _PYLIB not in sys.path:
    sys.path.insert(0, _PYLIB)
