"""Shared setup for the pure-Python unit tests (no database needed).

Puts plpython/ on sys.path so `import pgattest` works, and locates the shared test data:
the project and shared/ are siblings (/work/main and /work/shared).
"""

import sys
from pathlib import Path

import pytest

_PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(_PROJECT / "plpython"))

SHARED = (_PROJECT / ".." / "shared").resolve()
VECTORS = SHARED / "vectors"


@pytest.fixture(scope="session")
def shared():
    """Path of shared/ (read-only test data); fails the test when it is absent."""
    if not VECTORS.is_dir():
        pytest.fail("shared test vectors not found at %s" % VECTORS)
    return SHARED
