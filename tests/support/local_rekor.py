"""The tests' local transparency log: the development log (ops/devlog.py), in process.

It grew into a program anyone can run (`./pgattest devlog --api v2 --port 8080
--latency-ms 300`); the tests, benchmarks and demo all use that one implementation.
See ops/devlog.py for the API (LocalRekor, Tree, fault injection).
"""

from ops.devlog import LocalRekor, Tree, _b64, _canonical  # noqa: F401  (re-exported)
