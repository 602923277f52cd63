"""Helpers shared by the tests and the benchmarks (no tests here).

    queue_helpers     signers of DSSE envelopes, role-scoped calls, log registration
    local_rekor       a local Rekor v1/v2 log over a real RFC 6962 tree
    reference_merkle  an independent RFC 9162 reference for the Merkle property tests
    resilience        the devlog and workers as processes, and the queue invariants (tests/resilience)
    populate          rows in every module's tables, through the API
    db_snapshot       table contents as fingerprints, to prove nothing was lost
    logins            LOGIN roles in one pgattest role (or none) for a test, dropped after it

Import them as tests.support.NAME (the repository root on sys.path, as ./pgattest test and
./pgattest bench set it); importing this package puts plpython/ on sys.path too, so the
helpers reuse the library (pgattest) rather than copies of it.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "plpython") not in sys.path:
    sys.path.insert(0, str(ROOT / "plpython"))
