"""Readers of the deployment files, for the tests that hold them to the setup script:
the lists of ops/bootstrap.sh (read by bash itself, not re-parsed), the Debian packages and
pip pins a Dockerfile installs, and compose.yaml."""

import re
import shlex
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "ops" / "image"


def bootstrap_list(name):
    """The bash array `name` of ops/bootstrap.sh, as bash sees it (PGATTEST_DEBS, PGATTEST_SERVER_PIP)."""
    out = subprocess.run(["bash", "-c", f'source ops/bootstrap.sh; printf "%s\\n" "${{{name}[@]}}"'],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line]


def _run_lines(text):
    """The shell commands of a Dockerfile's RUN instructions (continuations joined)."""
    joined = re.sub(r"\\\n", " ", text)
    return [line.strip()[4:] for line in joined.splitlines() if line.strip().startswith("RUN ")]


def _commands(text):
    for run in _run_lines(text):
        for command in re.split(r"&&|;", run):
            words = shlex.split(command)
            if words:
                yield words


def dockerfile_packages(text):
    """The Debian packages `apt-get install` installs in a Dockerfile, less those it purges."""
    installed, purged = set(), set()
    for words in _commands(text):
        if words[:2] == ["apt-get", "install"]:
            installed |= {w for w in words[2:] if not w.startswith("-")}
        if words[:2] == ["apt-get", "purge"]:
            purged |= {w for w in words[2:] if not w.startswith("-")}
    return installed - purged


def dockerfile_pip(text):
    """The requirement specifiers `pip install` gets in a Dockerfile (pip3 or python -m pip)."""
    specs = set()
    for words in _commands(text):
        if "pip" in words[0] or words[:3] == ["python3", "-m", "pip"]:
            if "install" in words:
                args = words[words.index("install") + 1:]
                skip = False
                for w in args:
                    if skip:
                        skip = False
                    elif w in ("--target", "-t", "-r", "--requirement"):
                        skip = True
                    elif not w.startswith("-"):
                        specs.add(w)
    return specs


def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())
