"""Set up and run Registre on a fresh machine: only Python 3.11+ and git are needed.

    python3 scripts/dev.py start   # the main job
    python3 scripts/dev.py test    # lint, types and the whole test suite

The first call creates `.venv/` and installs the project with its dev tools; later calls
reinstall only when `pyproject.toml` changed. `test` also installs Debian's Chromium and its
driver when missing (for the GraphiQL browser test; as root, as CI runs).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".registre-installed"
NO_TESTS_COLLECTED = 5


def ensure_environment() -> None:
    if not (BIN / "python").exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("Installing Registre and its dependencies into .venv …", flush=True)
        pip = [
            str(BIN / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "--editable", f"{ROOT}[dev]"], check=True)
        STAMP.write_text(wanted)


BROWSER_PACKAGES = ("chromium", "chromium-driver")
"""Debian's headless browser and its driver, for the GraphiQL browser test."""


def ensure_browser() -> None:
    """Install Chromium and its driver on Debian when missing (as root: as CI runs); elsewhere
    say how, and the browser test is skipped (it fails under CI)."""
    if shutil.which("chromedriver"):
        return
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(
            "Chromium and chromedriver are missing: the GraphiQL browser test will be skipped"
            f" (Debian: sudo apt-get install {' '.join(BROWSER_PACKAGES)}).",
            flush=True,
        )
        return
    print("Installing Chromium and chromedriver (Debian packages) …", flush=True)
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update", "-qq"], check=False, env=quiet)
    install = [apt, "install", "-y", "-qq", "--no-install-recommends", *BROWSER_PACKAGES]
    subprocess.run(install, check=False, env=quiet)


def run(*command: str) -> int:
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def test(pytest_args: list[str]) -> int:
    checks = [
        (str(BIN / "ruff"), "check", "."),
        (str(BIN / "ruff"), "format", "--check", "."),
        (str(BIN / "mypy"),),
    ]
    for check in checks:
        if code := run(*check):
            return code
    code = run(str(BIN / "python"), "-m", "pytest", *pytest_args)
    return 1 if code == NO_TESTS_COLLECTED else code


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before anything is installed
        sys.exit("Registre needs Python 3.11 or newer.")
    command, *rest = sys.argv[1:] or ["help"]
    if command not in {"start", "test"}:
        print(__doc__)
        return 2
    ensure_environment()
    if command == "test":
        ensure_browser()
        return test(rest)
    return run(str(BIN / "registre"), "serve", *rest)


if __name__ == "__main__":
    sys.exit(main())
