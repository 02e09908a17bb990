"""Stored files against their recorded hashes (QUALITY.md §6, Backups): used by
``verify_files``, the submission check and the restore drill."""

import hashlib
from dataclasses import dataclass

from .models import StoredFile

CHUNK = 1 << 20


def file_sha256(field_file) -> str | None:
    """SHA-256 of a stored file's bytes, read in chunks; None when the file is not in storage."""
    digest = hashlib.sha256()
    try:
        with field_file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
    except (AttributeError, OSError, ValueError):  # no file, or missing from storage
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class FileProblem:
    public_id: str
    problem: str  # "lost" (not in storage) or "changed" (bytes differ from the recorded hash)


def stored_files_verify() -> tuple[int, list[FileProblem]]:
    """Read every ``StoredFile`` back from storage and compare it with its recorded SHA-256.
    Returns the number of files checked and the problems found."""
    problems, checked = [], 0
    rows = StoredFile.objects.only("public_id", "file", "sha256").order_by("pk")
    for stored in rows.iterator(chunk_size=500):
        checked += 1
        digest = file_sha256(stored.file)
        if digest is None:
            problems.append(FileProblem(str(stored.public_id), "lost"))
        elif digest != stored.sha256:
            problems.append(FileProblem(str(stored.public_id), "changed"))
    return checked, problems
