from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from applications.models import Program

from .models import HelpArticle


@require_safe
def help_centre(request):
    terms = request.GET.get("q", "").strip()[:200]
    articles = HelpArticle.objects.published()
    if terms:
        articles = articles.search(terms, get_language() or "en")
    return render(
        request,
        "support/help_centre.html",
        {"articles": list(articles), "terms": terms, "topics": HelpArticle.Topic},
    )


@require_safe
def guides(request):
    programs = Program.objects.active().only(
        "code", "name_en", "name_fr", "guide_number", "guide_title_en", "guide_title_fr",
        "other_guides", "order",
    )  # fmt: skip
    return render(request, "support/guides.html", {"programs": programs})
