"""The Help Centre is searchable in both languages; the guides page lists every program."""

import pytest

from applications.models import Program
from support.models import HelpArticle

pytestmark = pytest.mark.django_db


def test_help_centre_lists_published_questions_in_the_page_language(anon):
    article = HelpArticle.objects.filter(topic="clients").first()
    english = anon.get("/en/help/").content.decode()
    french = anon.get("/fr/help/").content.decode()
    assert article.question_en in english
    assert article.question_fr.replace("’", "&#x27;") in french or article.question_fr in french


def test_unpublished_questions_are_hidden(anon):
    HelpArticle.objects.create(
        topic="accounts",
        question_en="CANARY hidden question",
        question_fr="CANARY question cachée",
        answer_en="x",
        answer_fr="x",
        is_published=False,
    )
    assert "CANARY" not in anon.get("/en/help/").content.decode()


def test_search_matches_every_word_in_the_active_language(anon):
    body = anon.get("/en/help/", {"q": "temporary password"}).content.decode()
    assert "I received a temporary password" in body
    assert "Who can create a representative account?" not in body
    french = anon.get("/fr/help/", {"q": "mot de passe temporaire"}).content.decode()
    assert "reçu un mot de passe temporaire" in french


def test_search_with_no_match_says_so_and_escapes_the_terms(anon):
    body = anon.get("/en/help/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "No answer matches your search" in body


def test_help_centre_query_count_does_not_grow_with_articles(anon, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        anon.get("/en/help/")
    for n in range(25):
        HelpArticle.objects.create(
            topic="documents",
            question_en=f"Q{n}",
            question_fr=f"Q{n}",
            answer_en="a",
            answer_fr="a",
        )
    with django_assert_max_num_queries(3):
        anon.get("/en/help/")


def test_guides_page_lists_every_program_with_its_guide(anon):
    body = anon.get("/en/help/guides/").content.decode()
    for program in Program.objects.all():
        assert program.guide_number in body
    assert "IMM 0196" in body  # a second guide (Federal EMPP)


def test_staff_edit_articles_in_the_admin(superuser):
    article = HelpArticle.objects.first()
    response = superuser.get(f"/en/staff-admin/support/helparticle/{article.pk}/change/")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/en/help/", "/en/help/guides/"])
def test_help_pages_reject_posts(anon, path):
    assert anon.post(path).status_code == 405
