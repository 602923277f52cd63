"""Every SQLSTATE pgattest raises on purpose is registered in pgattest.errors, and every
custom one (class 23PA*) is documented in docs/CONVENTIONS.md with where it is raised."""

import re
from pathlib import Path

from pgattest import errors

ROOT = Path(__file__).resolve().parents[2]
REGISTERED = {v for k, v in vars(errors).items() if k.isupper() and isinstance(v, str) and re.fullmatch(r"[0-9A-Z]{5}", v)}


def raised_in_sql():
    codes = {}
    for path in sorted((ROOT / "deploy").rglob("*.sql")):
        if "@" in path.name:  # rework copies: their codes are in the current scripts too, or gone
            continue
        for code in re.findall(r"ERRCODE\s*=\s*'([0-9A-Z]{5})'", path.read_text()):
            codes.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return codes


def raised_in_python():
    codes = {}
    for path in sorted((ROOT / "plpython" / "pgattest").glob("*.py")):
        for code in re.findall(r"sqlstate\s*=\s*[\"']([0-9A-Z]{5})[\"']", path.read_text()):
            codes.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return codes


def test_every_sqlstate_raised_in_sql_is_registered():
    codes = raised_in_sql()
    assert codes, "no ERRCODE found in deploy/: the scan is broken"
    unregistered = {c: sorted(w) for c, w in codes.items() if c not in REGISTERED}
    assert not unregistered, f"SQLSTATEs raised but not in plpython/pgattest/errors.py: {unregistered}"


def test_library_takes_codes_from_the_registry():
    literal = raised_in_python()
    assert not literal, f"library modules write SQLSTATE literals instead of pgattest.errors names: {literal}"


def test_custom_codes_are_documented_with_where_they_are_raised():
    conventions = (ROOT / "docs" / "CONVENTIONS.md").read_text()
    sql = raised_in_sql()
    for code in errors.CUSTOM:
        assert code[:4] in ("23PA", "22PA")  # integrity, bad input (docs/CONVENTIONS.md)
        assert code in conventions, f"{code} is not in docs/CONVENTIONS.md's registry"
        assert code in sql, f"{code} is registered but raised nowhere in deploy/"
    for code in sql:
        if code[:4] in ("23PA", "22PA"):
            assert code in errors.CUSTOM, f"custom SQLSTATE {code} is raised but not registered in errors.CUSTOM"


def test_the_scan_finds_a_literal(tmp_path):
    """The pattern the registry test relies on matches how deploy scripts raise."""
    assert re.findall(r"ERRCODE\s*=\s*'([0-9A-Z]{5})'", "USING ERRCODE = '23PA9', HINT = 'x'") == ["23PA9"]
    assert "23PA9" not in REGISTERED


def test_no_library_module_defines_its_own_sqlstate():
    """A module takes its codes from pgattest.errors instead of assigning the literal."""
    for path in sorted((ROOT / "plpython" / "pgattest").glob("*.py")):
        if path.name == "errors.py":
            continue
        assigned = re.findall(r"^[A-Z_]+\s*=\s*[\"']([0-9A-Z]{5})[\"']", path.read_text(), re.M)
        assert not assigned, f"{path.name} defines SQLSTATE constants {assigned}: import them from pgattest.errors"
