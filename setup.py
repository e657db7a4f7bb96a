"""Build hook: the sdist and wheel carry static/vendor/, built from npm when it is missing.

Everything else lives in pyproject.toml. The browser files come from npm at build time
(kiosks load nothing from a CDN) and are ignored by git, so a fresh clone builds them here.
"""

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "static" / "vendor"
NEEDED = ("socket.io.esm.min.js", "socket.io-client.LICENSE", "chart.umd.js",
          "chart.js.LICENSE.md")


def vendor_files() -> None:
    """Run `npm ci` and scripts/vendor.mjs unless static/vendor/ is complete."""
    if all((VENDOR / name).is_file() for name in NEEDED):
        return
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise SystemExit("socialwall build: static/vendor/ is incomplete and node/npm are "
                         "not installed; install Node 18+ or run `make install` first")
    if not (HERE / "node_modules" / ".package-lock.json").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=HERE, check=True)
    subprocess.run(["node", "scripts/vendor.mjs"], cwd=HERE, check=True)


class BuildPy(build_py):
    """Vendor the browser files before collecting package data (not for editable installs)."""

    def run(self) -> None:
        if not self.editable_mode:
            vendor_files()
        super().run()


class Sdist(sdist):
    """Vendor the browser files before listing what the sdist holds."""

    def run(self) -> None:
        vendor_files()
        super().run()


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
