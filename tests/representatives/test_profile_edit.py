"""The representative profile form: required after sign-up, before any client work."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from representatives.models import Representative, RepresentativeEvent
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
URL = "/en/representative/profile/"
S = Representative.Status


def valid_post(**overrides):
    data = {
        "full_name": "Alex Martin",
        "rep_type": "consultant",
        "membership_body": "cicc",
        "membership_id": "r123456",
        "firm_name": "Martin Immigration",
        "address_street": "1 Main Street",
        "address_unit": "",
        "address_city": "Ottawa",
        "address_province": "ON",
        "address_region": "",
        "address_postal_code": "k1a0b1",
        "address_country": "CA",
        "phone": "(613) 555-0123",
        "phone_extension": "",
        "id_document_type": "passport",
        "id_upload": SimpleUploadedFile("id.png", factories.png_bytes(), "image/png"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def new_rep_user(db, cicc):
    """A representative who has just signed up: no profile row yet."""
    return factories.make_user(email="new-rep@example.test")


@pytest.fixture
def new_rep(new_rep_user):
    return signed_in(new_rep_user)


def test_new_representative_sees_an_empty_form_and_nothing_is_written(new_rep, new_rep_user):
    response = new_rep.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Your representative profile</h1>" in html
    assert 'name="membership_id"' in html and 'type="file"' in html
    assert "R followed by 6 digits, for example R123456" in html  # the formats we accept
    assert not Representative.objects.filter(user=new_rep_user).exists()


def test_submitting_a_complete_profile_makes_it_pending(new_rep, new_rep_user, sent_emails):
    response = new_rep.post(URL, valid_post())
    assert response.status_code == 302
    assert response["Location"] == "/en/representative/status/"
    representative = Representative.objects.get(user=new_rep_user)
    assert representative.status == S.PENDING
    assert representative.membership_id == "R123456"
    assert representative.address_postal_code == "K1A 0B1"
    assert representative.phone == "16135550123"
    assert representative.id_document.kind == "png"
    assert representative.events.get().new_status == S.PENDING
    assert sent_emails == []
    page = new_rep.get(response["Location"])
    assert "Your profile is waiting for verification" in page.content.decode()


def test_pending_representative_can_correct_the_profile_without_a_new_file(cicc):
    representative = factories.make_representative(status=S.PENDING, with_id_document=True)
    document = representative.id_document
    client = signed_in(representative.user)
    html = client.get(URL).content.decode()
    # The saved values are in the form, as people type them.
    assert f'value="{representative.membership_id}"' in html
    assert '<option value="cicc" selected>' in html
    assert 'value="613-555-0100"' in html
    response = client.post(URL, valid_post(full_name="Alex Corrected", id_upload=None))
    assert response.status_code == 302
    representative.refresh_from_db()
    assert representative.full_name == "Alex Corrected"
    assert representative.id_document == document
    assert representative.events.get().old_status == S.PENDING


def test_rejected_representative_sees_the_reason_and_can_resubmit(cicc):
    representative = factories.make_representative(
        status=S.REJECTED, with_id_document=True, rejection_reason="Blurry <b>scan</b>."
    )
    client = signed_in(representative.user)
    html = client.get(URL).content.decode()
    assert "Blurry &lt;b&gt;scan&lt;/b&gt;." in html
    response = client.post(URL, valid_post(id_upload=None))
    assert response.status_code == 302
    representative.refresh_from_db()
    assert representative.status == S.PENDING
    assert representative.rejection_reason == ""


def test_first_submission_without_a_document_is_refused(new_rep, new_rep_user):
    response = new_rep.post(URL, valid_post(id_upload=None))
    assert response.status_code == 200
    assert "Upload a copy of your identity document." in response.content.decode()
    assert not Representative.objects.filter(user=new_rep_user).exists()


def test_profile_rejects_other_methods(new_rep):
    assert new_rep.put(URL).status_code == 405
    assert new_rep.delete(URL).status_code == 405


def test_anonymous_is_sent_to_sign_in(anon):
    response = anon.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/auth/login/")


@pytest.mark.parametrize("persona", ["client_a", "staff", "superuser"])
def test_people_who_are_not_representatives_get_404(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 404
    assert client.post(URL, valid_post()).status_code == 404
    assert not Representative.objects.exists()


@pytest.mark.parametrize("status", [S.VERIFIED, S.SUSPENDED])
def test_verified_or_suspended_profile_cannot_be_edited_here(cicc, status):
    representative = factories.make_representative(status=status)
    client = signed_in(representative.user)
    assert client.get(URL).status_code == 409
    response = client.post(URL, valid_post(full_name="Changed"))
    assert response.status_code == 409
    representative.refresh_from_db()
    assert representative.full_name != "Changed"
    assert not RepresentativeEvent.objects.exists()


def assert_refused_and_kept(response, user, *, message, kept):
    """200 with the error summary, the message, what was typed, and nothing saved."""
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<title>Error:" in html
    assert message in html
    for value in kept:
        assert value in html
    assert not Representative.objects.filter(user=user).exists()
    assert not RepresentativeEvent.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"membership_id": "12345"}, "Expected: R followed by 6 digits"),
        ({"membership_id": "R12345"}, "Expected: R followed by 6 digits"),
        ({"membership_id": "R١٢٣٤٥٦"}, "Expected: R followed by 6 digits"),  # Arabic-Indic digits
        ({"rep_type": "notary"}, "does not license this type of representative"),
        ({"address_postal_code": "12345"}, "Enter a Canadian postal code in the format A1A 1A1."),
        ({"address_postal_code": "K1A 0B"}, "Enter a Canadian postal code in the format A1A 1A1."),
        ({"address_postal_code": ""}, "Enter the postal code."),
        ({"address_province": ""}, "Choose the province or territory."),
        ({"phone": "555-0123"}, "Enter a telephone number with its area code"),
        ({"phone": "613-555-012x"}, "Enter a telephone number with its area code"),
        ({"phone": "013-555-0123"}, "Enter a telephone number with its area code"),
        ({"phone": "+1 613 555 012"}, "Enter a telephone number with its area code"),
        ({"phone": "+44"}, "Enter a telephone number with its area code"),
        ({"phone_extension": "12a"}, "Enter the extension as digits only"),
        ({"full_name": "A" * 500}, "Ensure this value has at most 200 characters"),
        ({"firm_name": "F" * 500}, "Ensure this value has at most 200 characters"),
        ({"full_name": "Alex\u202eMartin"}, "Remove the invisible or control characters"),
        ({"full_name": ""}, "This field is required."),
        ({"membership_body": "nope"}, "Select a valid choice."),
    ],
)
def test_invalid_input_is_refused_and_what_was_typed_is_kept(
    new_rep, new_rep_user, overrides, message
):
    response = new_rep.post(URL, valid_post(**overrides))
    kept = [
        v
        for k, v in overrides.items()
        if isinstance(v, str) and v and k not in ("full_name", "membership_body")
    ]
    if overrides.get("full_name"):
        kept.append(overrides["full_name"][:200])  # the long value is echoed back, not cut
    assert_refused_and_kept(response, new_rep_user, message=message, kept=kept)


def test_error_keeps_every_other_field_and_asks_for_the_file_again(new_rep, new_rep_user):
    response = new_rep.post(URL, valid_post(membership_id="BAD", firm_name="Keep This Firm"))
    html = response.content.decode()
    assert 'value="Keep This Firm"' in html
    assert 'value="1 Main Street"' in html
    assert 'value="(613) 555-0123"' in html
    assert "Choose it again before you submit." in html
    assert not Representative.objects.filter(user=new_rep_user).exists()


def test_a_representative_abroad_may_give_any_postal_code(new_rep, new_rep_user):
    response = new_rep.post(
        URL,
        valid_post(
            address_country="FR",
            address_province="ON",
            address_region="Île-de-France",
            address_postal_code="75008",
            phone="+33 1 23 45 67 89",
        ),
    )
    assert response.status_code == 302
    representative = Representative.objects.get(user=new_rep_user)
    assert representative.address_country == "FR"
    assert representative.address_province == ""  # only for Canada
    assert representative.address_region == "Île-de-France"
    assert representative.address_postal_code == "75008"
    assert representative.phone == "33123456789"


def test_lso_accepts_lawyers_and_paralegals(new_rep, new_rep_user, lso):
    response = new_rep.post(
        URL, valid_post(rep_type="paralegal", membership_body="lso", membership_id="p12345")
    )
    assert response.status_code == 302
    representative = Representative.objects.get(user=new_rep_user)
    assert (representative.rep_type, representative.membership_id) == ("paralegal", "P12345")


def test_html_in_names_is_stored_as_typed_and_shown_escaped(new_rep, new_rep_user):
    name = '<script>alert("x")</script> Alex'
    response = new_rep.post(URL, valid_post(full_name=name, firm_name="<b>Firm</b>"))
    assert response.status_code == 302
    assert Representative.objects.get(user=new_rep_user).full_name == name
    html = new_rep.get("/en/representative/status/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Alex" in html
    assert "<script>alert" not in html
    assert "&lt;b&gt;Firm&lt;/b&gt;" in html


def test_privileged_fields_posted_are_ignored(new_rep, new_rep_user):
    response = new_rep.post(
        URL, valid_post(status="verified", verified_at="2026-01-01T00:00Z", rejection_reason="x")
    )
    assert response.status_code == 302
    representative = Representative.objects.get(user=new_rep_user)
    assert representative.status == S.PENDING
    assert representative.verified_at is None


def test_a_membership_id_already_registered_is_refused(new_rep, new_rep_user):
    factories.make_representative(status=S.VERIFIED, membership_id="R123456")
    response = new_rep.post(URL, valid_post())
    assert_refused_and_kept(
        response,
        new_rep_user,
        message="This membership ID is already registered with another account.",
        kept=[],
    )


def test_a_file_that_is_not_an_allowed_kind_is_refused(new_rep, new_rep_user):
    fake = SimpleUploadedFile("id.png", b"<html><script>x</script></html>", "image/png")
    response = new_rep.post(URL, valid_post(id_upload=fake))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Representative.objects.filter(user=new_rep_user).exists()


def test_the_form_is_in_french_too(new_rep):
    html = new_rep.get("/fr/representative/profile/").content.decode()
    assert '<html lang="fr">' in html
    assert "Votre profil de représentant" in html
    assert "R suivi de 6 chiffres" in html
