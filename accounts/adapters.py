from allauth.account.adapter import DefaultAccountAdapter

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    """The one place allauth is customised (STYLE.md principle 12)."""

    def save_user(self, request, user, form, commit=True):
        # Self sign-up is for representatives; clients are invited by their representative.
        user.role = User.Role.REPRESENTATIVE
        return super().save_user(request, user, form, commit=commit)
