"""Domain errors. The middleware renders each with its HTTP status and bilingual template."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    template = "errors/400.html"
    default_message = _("This request cannot be completed.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class WrongState(DomainError):
    status = 409
    template = "errors/409_wrong_state.html"
    default_message = _("This action is not possible in the current state of the application.")


class VersionConflict(DomainError):
    status = 409
    template = "errors/409_wrong_state.html"
    default_message = _("Someone else saved this page after you opened it.")


class GateNotMet(DomainError):
    status = 409
    template = "errors/409_wrong_state.html"
    default_message = _("Something required is still missing.")
