import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RepresentativeQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Representative.Status.VERIFIED)


class Representative(models.Model):
    """A licensed, paid representative's professional profile, verified by staff."""

    class Status(models.TextChoices):
        PROFILE_INCOMPLETE = "profile_incomplete", _("Profile incomplete")
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    # The only definition of allowed status changes (services check it).
    TRANSITIONS = {
        Status.PROFILE_INCOMPLETE: frozenset({Status.PENDING}),
        Status.PENDING: frozenset({Status.VERIFIED, Status.REJECTED, Status.PENDING}),
        Status.REJECTED: frozenset({Status.PENDING}),
        Status.VERIFIED: frozenset({Status.SUSPENDED, Status.PENDING}),
        Status.SUSPENDED: frozenset({Status.VERIFIED}),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="representative"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROFILE_INCOMPLETE
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self):
        return self.full_name or str(self.public_id)

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED
