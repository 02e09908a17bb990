from django.contrib import admin

from .models import HelpArticle


@admin.register(HelpArticle)
class HelpArticleAdmin(admin.ModelAdmin):
    list_display = ("question_en", "topic", "order", "is_published", "updated_at")
    list_filter = ("topic", "is_published")
    search_fields = ("question_en", "question_fr", "answer_en", "answer_fr")
    fields = (
        "topic",
        "order",
        "is_published",
        "question_en",
        "question_fr",
        "answer_en",
        "answer_fr",
    )
