"""`make run` and `make test` set up a fresh machine: bin/check-system names (or installs) the
Debian packages they need, and `make run` serves on the port PORT says."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "bin" / "check-system"


def _tool(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _check(
    tmp_path: Path, missing: set[str], *args: str, uid: int | None = None
) -> subprocess.CompletedProcess:
    """Run the check with a dpkg-query that says `missing` are not installed, and an apt-get
    that only writes down how it was called; `uid` is what `id -u` says."""
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    cases = "|".join(sorted(missing)) or "no-package-is-missing"
    _tool(
        fake,
        "dpkg-query",
        f'for last; do :; done\ncase "$last" in {cases}) exit 1 ;; esac\nprintf installed',
    )
    _tool(fake, "apt-get", f'echo "$@" >> {tmp_path / "apt-get-called"}')
    if uid is not None:
        _tool(fake, "id", f"echo {uid}")
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    return subprocess.run(
        [str(CHECK), *args], capture_output=True, text=True, env=env, check=False, timeout=30
    )


def test_a_missing_package_stops_the_check_with_the_line_that_installs_it(tmp_path):
    result = _check(tmp_path, {"fonts-open-sans", "libpango-1.0-0"}, "--check-only", "run")
    assert result.returncode == 1
    assert "  sudo apt-get install -y libpango-1.0-0 fonts-open-sans\n" in result.stderr
    assert not (tmp_path / "apt-get-called").exists()


def test_a_person_who_is_not_root_is_stopped_with_the_line_to_run(tmp_path):
    result = _check(tmp_path, {"chromium"}, "test", uid=1000)
    assert result.returncode == 1
    assert result.stderr.endswith("Install them as root, then run this again:\n"
                                  "  sudo apt-get install -y chromium\n")  # fmt: skip
    assert not (tmp_path / "apt-get-called").exists()


def test_root_gets_the_missing_packages_installed(tmp_path):
    result = _check(tmp_path, {"fonts-dejavu-extra", "chromium"}, "test", uid=0)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt-get-called").read_text().splitlines()
    assert calls == [
        "-o DPkg::Lock::Timeout=600 update -qq",
        "-o DPkg::Lock::Timeout=600 install -y -qq fonts-dejavu-extra chromium",
    ]


def test_the_tests_need_the_browser_packages_and_running_does_not(tmp_path):
    assert _check(tmp_path, {"chromium"}, "--check-only", "run").returncode == 0
    result = _check(tmp_path, {"chromium"}, "--check-only", "test")
    assert result.returncode == 1
    assert "  sudo apt-get install -y chromium\n" in result.stderr


def test_nothing_missing_passes_in_silence(tmp_path):
    result = _check(tmp_path, set(), "--check-only", "ci")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_ci_and_the_makefile_use_the_one_list():
    ci = (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "bin/check-system ci" in ci and "apt-get" not in ci
    assert "bin/check-system run" in makefile and "bin/check-system test" in makefile


def _make_run(*args: str, port: str | None = None) -> str:
    """The commands `make run` would run (printed, not run)."""
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    if port is not None:
        env["PORT"] = port
    return subprocess.run(
        ["make", "--dry-run", "--always-make", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    ).stdout


def test_port_chooses_where_make_run_serves():
    assert "--port 5000" in _make_run()
    assert "--port 5050" in _make_run("PORT=5050")
    assert "--port 5051" in _make_run(port="5051")
