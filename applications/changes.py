"""What changed between two submissions of one application, from their manifests only.

A manifest (applications.submission._manifest) lists each digital form's hash under
``forms`` ("<form>:<person public_id>"), each valid signature's content hash under
``signatures`` and each current file under ``files`` (document public_id -> slot, hash).
``manifest_diff`` compares two of them: a pure function, so staff see exactly what the
stored evidence says, never a recomputation from today's data.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ManifestDiff:
    forms_changed: list[str] = field(default_factory=list)  # form keys, both submissions
    forms_added: list[str] = field(default_factory=list)
    forms_removed: list[str] = field(default_factory=list)
    documents_added: list[str] = field(default_factory=list)  # slot keys
    documents_replaced: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    signatures_new: list[str] = field(default_factory=list)  # signature keys
    declaration_new: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.forms_changed
            or self.forms_added
            or self.forms_removed
            or self.documents_added
            or self.documents_replaced
            or self.documents_removed
            or self.signatures_new
            or self.declaration_new
        )


def _files_by_slot(manifest: dict) -> dict[str, str]:
    """slot key -> file hash (one current file per slot)."""
    return {
        entry.get("slot", ""): entry.get("sha256", "")
        for entry in (manifest.get("files") or {}).values()
    }


def manifest_diff(previous: dict, current: dict) -> ManifestDiff:
    """The changes from ``previous`` to ``current`` (two manifests of the same application)."""
    old_forms, new_forms = previous.get("forms") or {}, current.get("forms") or {}
    old_files, new_files = _files_by_slot(previous), _files_by_slot(current)
    old_signatures = previous.get("signatures") or {}
    new_signatures = current.get("signatures") or {}
    return ManifestDiff(
        forms_changed=sorted(
            k for k in new_forms if k in old_forms and new_forms[k] != old_forms[k]
        ),
        forms_added=sorted(set(new_forms) - set(old_forms)),
        forms_removed=sorted(set(old_forms) - set(new_forms)),
        documents_added=sorted(set(new_files) - set(old_files)),
        documents_replaced=sorted(
            k for k in new_files if k in old_files and new_files[k] != old_files[k]
        ),
        documents_removed=sorted(set(old_files) - set(new_files)),
        signatures_new=sorted(
            k for k, sha in new_signatures.items() if old_signatures.get(k) != sha
        ),
        declaration_new=bool(current.get("declaration"))
        and current.get("declaration") != previous.get("declaration"),
    )


def latest_diff(application) -> ManifestDiff | None:
    """The diff between the last two submissions of ``application``, if it has two (one
    query)."""
    from .models import Submission

    last_two = list(
        Submission.objects.filter(application_id=application.pk)
        .order_by("-number")
        .only("number", "manifest")[:2]
    )
    if len(last_two) < 2:
        return None
    return manifest_diff(last_two[1].manifest, last_two[0].manifest)
