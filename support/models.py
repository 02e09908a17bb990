from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import _localised


class HelpArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def search(self, terms: str, language: str):
        """Every word must appear in the question or the answer, in the page's language."""
        suffix = "fr" if language.startswith("fr") else "en"
        query = self
        for word in terms.split()[:10]:
            query = query.filter(
                Q(**{f"question_{suffix}__icontains": word})
                | Q(**{f"answer_{suffix}__icontains": word})
            )
        return query


class HelpArticle(models.Model):
    """A question and its answer in the Help Centre, written by staff in both languages."""

    class Topic(models.TextChoices):
        ACCOUNTS = "accounts", _("Accounts and signing in")
        APPLICATIONS = "applications", _("Preparing an application")
        DOCUMENTS = "documents", _("Documents and uploads")
        SIGNATURES = "signatures", _("Review and signatures")
        SUBMISSION = "submission", _("Submission and after")
        CLIENTS = "clients", _("For clients")

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    question_en = models.CharField(_("question (English)"), max_length=250)
    question_fr = models.CharField(_("question (French)"), max_length=250)
    answer_en = models.TextField(_("answer (English)"))
    answer_fr = models.TextField(_("answer (French)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HelpArticleQuerySet.as_manager()

    class Meta:
        ordering = ("topic", "order", "pk")
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")

    def __str__(self):
        return self.question_en

    @property
    def question(self) -> str:
        return _localised(self, "question")

    @property
    def answer(self) -> str:
        return _localised(self, "answer")
