"""No tracked file cites a document outside the repository.

A design note or a page kept beside the clone (see OUTSIDE below) is not part of the
repository: a reader of the repository cannot follow such a citation, and code that reads
one behaves differently from one clone to another.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import REPO

# Spelled in pieces so that this file does not cite what it forbids.
OUTSIDE = re.compile(
    "|".join(
        (
            "DESIGN" + r"\.md",
            r"\.\./" + "shared" + r"\b",
            r"/work/" + "shared" + r"\b",
            r"parent\s*/\s*[\"']" + "shared" + "[\"']",  # a path built beside the clone
        )
    )
)
# Files in folders being rewritten on another branch, which drops these citations; this
# list must then be emptied (the test fails while a listed file no longer cites anything).
PENDING: set[str] = set()


def tracked_files() -> list[str]:
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60
        )
    except (OSError, subprocess.CalledProcessError) as err:
        pytest.skip(f"not a git checkout, no tracked files to read: {err}")
    return [name for name in done.stdout.decode().split("\0") if name]


def citations(names: list[str]) -> dict[str, list[str]]:
    """file -> the lines citing something outside the repository."""
    found: dict[str, list[str]] = {}
    for name in names:
        path = REPO / name
        if not path.is_file():
            continue  # deleted in the work tree, not yet in the index
        text = path.read_bytes().decode("utf-8", errors="ignore")
        lines = [f"{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)]
        hits = [line for line in lines if OUTSIDE.search(line)]
        if hits:
            found[name] = hits
    return found


def test_no_file_cites_a_document_outside_the_repository() -> None:
    names = tracked_files()
    assert len(names) > 100, names  # the listing really saw the repository
    found = citations(names)
    assert set(found) == PENDING, found


def test_each_form_of_outside_citation_is_recognised() -> None:
    forms = (
        "see DESIGN" + ".md for the contract",
        "parsed from ../" + "shared/seed/page.txt",
        "SEED = REPO.parent / " + '"shared"' + ' / "seed"',
    )
    for form in forms:
        assert OUTSIDE.search(form), form
    assert not OUTSIDE.search("docs/architecture.md and the shared fixtures")
