from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ContextWordsValidator:
    """Refuse passwords built on words an attacker would try first for this portal."""

    words = ("prportal", "portal", "ircc", "canada", "immigration")

    def validate(self, password, user=None):
        lowered = password.lower()
        words = list(self.words)
        email = getattr(user, "email", "") or ""
        local = email.split("@")[0].lower()
        if len(local) >= 4:
            words.append(local)
        for word in words:
            if word in lowered and len(password) - len(word) < 8:
                raise ValidationError(
                    _("This password is too close to a word people guess first, like “%(word)s”."),
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self):
        return _("Your password can’t be built around the portal’s name or your email address.")
