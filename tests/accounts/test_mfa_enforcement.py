"""MFA is mandatory for representatives and staff: every page but enrolment redirects there,
and a session that never passed the second factor is refused (QUALITY.md §2 and §12)."""

import uuid

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from accounts.middleware import MFA_ENROLMENT_EXEMPT
from accounts.models import User
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

ENROL = "/en/auth/2fa/totp/activate/"


def _walk(patterns, namespace="", groups=()):
    """(name, argument names) for every named URL; arguments of enclosing includes count too
    (allauth's security-key URLs take their ``pk`` from the include around them)."""
    for entry in patterns:
        own = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, groups + own)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", groups + own


# Sample values for the URL names that need arguments.
SAMPLE_KWARGS = {
    "uuid": uuid.uuid4(),
    "key": "not-a-real-key",
    "uidb36": "1",
    "object_id": "1",
    "app_label": "accounts",
    "model_name": "user",
    "content_type_id": "1",
    "url": "nowhere",
    "pk": "1",
    "public_id": uuid.uuid4(),
    "person_id": uuid.uuid4(),
    "document_id": uuid.uuid4(),
    "correction_id": uuid.uuid4(),
    "request_id": uuid.uuid4(),
    "slot_key": "passport",
}


def every_url():
    """(name, path) for every named URL in the project, in English, arguments filled in."""
    urls = []
    with translation.override("en"):
        for name, groups in _walk(get_resolver().url_patterns):
            kwargs = {key: SAMPLE_KWARGS.get(key, "1") for key in groups}
            # A new argument name fails here: add a sample value above.
            urls.append((name, reverse(name, kwargs=kwargs or None)))
    return urls


def test_the_walk_covers_portal_allauth_and_admin_urls():
    names = {name for name, _path in every_url()}
    assert {"accounts:start", "account_email", "usersessions_list", "admin:index"} <= names
    assert any(name.startswith("admin:") and "change" in name for name in names)
    assert len(names) > 50


@pytest.mark.parametrize("persona", ["rep_no_mfa", "staff_no_mfa"])
def test_every_url_redirects_an_unenrolled_person_to_enrolment(persona, request):
    client = request.getfixturevalue(persona)
    not_redirected = []
    for name, path in every_url():
        if name in MFA_ENROLMENT_EXEMPT:
            continue
        response = client.get(path)
        if response.status_code != 302 or response["Location"] != ENROL:
            not_redirected.append((name, path, response.status_code))
    assert not_redirected == []


@pytest.mark.parametrize("persona", ["rep_no_mfa", "staff_no_mfa"])
def test_posts_are_redirected_to_enrolment_too(persona, request):
    client = request.getfixturevalue(persona)
    for path in ("/en/auth/email/", "/en/auth/sessions/", "/en/staff-admin/accounts/user/add/"):
        response = client.post(path, {"email": "x@example.test"})
        assert (response.status_code, response["Location"]) == (302, ENROL), path


def test_the_exempt_pages_are_the_documented_ones():
    assert MFA_ENROLMENT_EXEMPT == {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "accounts:signed_out",
        "accounts:session_keepalive",
        "set_language",
    }


def test_unenrolled_representative_can_open_enrolment_sign_out_and_switch_language(rep_no_mfa):
    # Enrolment first asks for the password again (allauth's re-authentication), which is exempt.
    response = rep_no_mfa.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/auth/reauthenticate/")
    assert rep_no_mfa.get(response["Location"]).status_code == 200
    assert rep_no_mfa.get("/en/auth/logout/").status_code == 200
    assert rep_no_mfa.post("/i18n/setlang/", {"language": "fr", "next": "/fr/"}).status_code == 302


def test_enrolling_in_this_session_counts_as_passing_mfa(rep_no_mfa, rep_no_mfa_user):
    EmailAddress.objects.create(
        user=rep_no_mfa_user, email=rep_no_mfa_user.email, verified=True, primary=True
    )
    rep_no_mfa.post("/en/auth/reauthenticate/", {"password": factories.PASSWORD})
    page = rep_no_mfa.get(ENROL)
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = rep_no_mfa.post(ENROL, {"code": factories.totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/en/auth/2fa/recovery-codes/"
    methods = [r["method"] for r in rep_no_mfa.session[AUTHENTICATION_METHODS_SESSION_KEY]]
    assert methods[-1] == "mfa"
    assert rep_no_mfa.get("/en/auth/2fa/recovery-codes/").status_code == 200
    assert rep_no_mfa.get("/en/auth/email/").status_code == 200


def test_a_session_that_did_not_pass_mfa_is_signed_out(rep_a_user):
    factories.make_totp(rep_a_user)
    client = signed_in(rep_a_user, mfa=False)  # password only, yet the account has TOTP
    response = client.get("/en/auth/email/")
    assert response.status_code == 302
    assert response["Location"] == "/en/auth/login/?next=%2Fen%2Fauth%2Femail%2F"
    assert "_auth_user_id" not in client.session
    # ...and the refusal is not undone by asking again.
    assert client.get("/en/auth/email/")["Location"].startswith("/en/auth/login/")


def test_an_older_session_is_refused_once_the_account_enrols_elsewhere(rep_no_mfa_user):
    older = signed_in(rep_no_mfa_user, mfa=False)
    factories.make_totp(rep_no_mfa_user)  # enrolled from another browser
    response = older.get("/en/auth/email/")
    assert response["Location"].startswith("/en/auth/login/")


def test_a_client_is_not_asked_to_enrol(client_a):
    assert client_a.get("/en/auth/password/change/").status_code == 200


def test_a_client_who_chose_totp_must_pass_it_too(client_a_user):
    factories.make_totp(client_a_user)
    client = signed_in(client_a_user, mfa=False)
    assert client.get("/en/auth/email/")["Location"].startswith("/en/auth/login/")


def test_persona_helper_sessions_pass_the_middleware(rep_a, staff):
    assert rep_a.get("/en/auth/email/").status_code == 200
    assert staff.get("/en/staff-admin/").status_code == 200


def test_demo_accounts_skip_enrolment_only_when_the_setting_allows(settings):
    user = factories.make_representative(email="rep@demo.test").user
    User.objects.filter(pk=user.pk).update(is_demo=True)
    user.refresh_from_db()
    client = signed_in(user, mfa=False)
    settings.DEMO_MFA_SKIP = True
    response = client.get("/en/start/", follow=True)  # a verified representative: the dashboard
    assert response.status_code == 200
    assert "skipped two-step verification" in response.content.decode()
    settings.DEMO_MFA_SKIP = False
    assert client.get("/en/auth/email/")["Location"] == ENROL


def test_the_demo_skip_does_not_apply_to_ordinary_accounts(settings, rep_no_mfa):
    settings.DEMO_MFA_SKIP = True
    assert rep_no_mfa.get("/en/auth/email/")["Location"] == ENROL


def test_the_skip_notice_is_not_shown_to_enrolled_people(rep_a):
    assert "skipped two-step verification" not in rep_a.get("/en/auth/email/").content.decode()
