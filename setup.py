"""Build step: a non-editable install carries the suite's data inside the package.

policies/ (the catalogue and the checks), features/ and reference/ live at the top of the
checkout, where an editable install reads them. A wheel (or `pip install .`) gets a copy
under fdk_guard/bundled/, which fdk_guard.data finds when there is no checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = ("policies", "features", "reference")
JUNK = shutil.ignore_patterns(
    "__pycache__", "*.py[co]", ".terraform", ".terraform.lock.hcl", "*.tfstate*", ".fdk-cache"
)


class BuildWithSuiteData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        bundled = Path(self.build_lib) / "fdk_guard" / "bundled"
        for name in DATA:
            shutil.copytree(name, bundled / name, ignore=JUNK, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithSuiteData})
