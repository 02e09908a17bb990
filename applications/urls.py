from django.urls import path

from clients import views as client_views

from . import after_submission_views, document_views, signature_views, submission_views, views

app_name = "applications"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.create, name="create"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/history/", views.history, name="history"),
    path("<uuid:public_id>/draft-pdf/", views.draft_pdf, name="draft_pdf"),
    path(
        "<uuid:public_id>/draft-pdf/download/",
        views.draft_pdf_download,
        name="draft_pdf_download",
    ),
    path("<uuid:public_id>/copy/", views.copy, name="copy"),
    path("<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:public_id>/reopen/", views.reopen, name="reopen"),
    path("<uuid:public_id>/program-details/", views.program_details, name="program_details"),
    path("<uuid:public_id>/client/resend-password/", views.client_resend, name="client_resend"),
    path("<uuid:public_id>/client/email/", views.client_email, name="client_email"),
    path(
        "<uuid:public_id>/corrections/<uuid:correction_id>/resolve/",
        client_views.correction_resolve,
        name="correction_resolve",
    ),
    path("<uuid:public_id>/people/new/", views.person_add, name="person_add"),
    path("<uuid:public_id>/people/<uuid:person_id>/", views.person_edit, name="person_edit"),
    path(
        "<uuid:public_id>/people/<uuid:person_id>/remove/",
        views.person_remove,
        name="person_remove",
    ),
    # Signatures (issue 7).
    path(
        "<uuid:public_id>/send-for-signature/",
        signature_views.send_for_signature,
        name="send_for_signature",
    ),
    path("<uuid:public_id>/sign/", signature_views.sign, name="sign"),
    path("<uuid:public_id>/submit/", submission_views.submit, name="submit"),
    path("<uuid:public_id>/submission/", submission_views.submission, name="submission"),
    path(
        "<uuid:public_id>/submission/package/",
        submission_views.submission_package,
        name="submission_package",
    ),
    # The eCOPR of one person once PR status is confirmed (applications.ecopr).
    path(
        "<uuid:public_id>/people/<uuid:person_id>/ecopr/",
        submission_views.ecopr,
        name="ecopr",
    ),
    # After submission (issue 8): a requested document, a change of circumstances.
    path(
        "<uuid:public_id>/requests/<uuid:request_id>/upload/",
        after_submission_views.requested_document_upload,
        name="requested_document_upload",
    ),
    path(
        "<uuid:public_id>/circumstances/new/",
        after_submission_views.circumstance_report,
        name="circumstance_report",
    ),
    # Documents (issue 6). A slot is "<item code>" or "<item code>--<person public_id>".
    path("<uuid:public_id>/documents/", document_views.documents, name="documents"),
    path(
        "<uuid:public_id>/documents/slots/<slug:slot_key>/upload/",
        document_views.document_upload,
        name="document_upload",
    ),
    path(
        "<uuid:public_id>/documents/slots/<slug:slot_key>/add/",
        document_views.document_add_part,
        name="document_add_part",
    ),
    path(
        "<uuid:public_id>/documents/slots/<slug:slot_key>/combine/",
        document_views.document_combine,
        name="document_combine",
    ),
    path(
        "<uuid:public_id>/documents/slots/<slug:slot_key>/remove-added-files/",
        document_views.document_parts_remove,
        name="document_parts_remove",
    ),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/",
        document_views.document_preview,
        name="document_preview",
    ),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/pages/<int:page>/",
        document_views.document_page,
        name="document_page",
    ),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/image/",
        document_views.document_image,
        name="document_image",
    ),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/download/",
        document_views.document_download,
        name="document_download",
    ),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/translation/",
        document_views.document_translation,
        name="document_translation",
    ),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/delete/",
        document_views.document_delete,
        name="document_delete",
    ),
]
