"""Set up and run Registre on a fresh machine: only Python 3.11+ and git are needed.

    python3 scripts/dev.py start   # the main job
    python3 scripts/dev.py test    # lint, types and the whole test suite

The first call creates `.venv/` and installs the project with its dev tools; later calls
reinstall only when `pyproject.toml` changed.
"""

import hashlib
import os
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
        return test(rest)
    return run(str(BIN / "registre"), "serve", *rest)


if __name__ == "__main__":
    sys.exit(main())
