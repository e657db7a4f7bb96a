"""Audit the installed environment for known vulnerabilities; exit 1 when one is found.

Two halves. Offline (always, blocking): every package in security/advisories.toml must be
installed at its fixed release or later. Online: pip-audit asks the vulnerability service
(PyPI's JSON API) about every installed package; a finding fails the audit. When that
service cannot be reached, pip-audit audits nothing yet exits 0, so this script says so
plainly and relies on the offline half; under CI=true that is printed as a warning.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.version import Version

ADVISORIES = Path(__file__).resolve().parent.parent / "security" / "advisories.toml"


def offline() -> list[str]:
    """Return one line per installed package below its advisory's fixed release."""
    problems = []
    for entry in tomllib.loads(ADVISORIES.read_text(encoding="utf-8"))["advisory"]:
        try:
            found = version(entry["package"])
        except PackageNotFoundError:
            continue
        if Version(found) < Version(entry["fixed"]):
            ids = ", ".join(entry["ids"]) or "see security/advisories.toml"
            problems.append(f"{entry['package']} {found} < {entry['fixed']} ({ids}): "
                            f"{entry['summary']}")
    return problems


def online() -> tuple[list[str], bool]:
    """Run pip-audit; return (findings, whether the service answered for any package)."""
    result = subprocess.run([sys.executable, "-m", "pip_audit", "--skip-editable", "--format",
                             "json", "--progress-spinner", "off"],
                            capture_output=True, text=True, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [], False
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    findings = [f"{d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v['fix_versions'])})"
                for d in audited for v in d.get("vulns", [])]
    return findings, bool(audited)


def main() -> int:
    """Print what was checked and every problem; 1 when there is one."""
    problems = offline()
    findings, reachable = online()
    for line in problems + findings:
        sys.stdout.write(f"audit: VULNERABLE {line}\n")
    if not reachable:
        sys.stdout.write("audit: WARNING the vulnerability service (PyPI's JSON API, used by "
                         "pip-audit) is unreachable from this machine; only the advisories "
                         f"in {ADVISORIES.name} were checked offline.\n")
    if problems or findings:
        return 1
    sys.stdout.write("audit: no known vulnerability in the installed packages.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
