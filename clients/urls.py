from django.urls import path

from . import pr_views, views

app_name = "clients"
urlpatterns = [
    path("", views.home, name="home"),
    path("password/", views.set_password, name="set_password"),
    path("applications/new/", views.application_start, name="application_start"),
    path(
        "applications/<uuid:public_id>/representative/",
        views.representative_appoint,
        name="representative_appoint",
    ),
    path(
        "applications/<uuid:public_id>/representative/revoke/",
        views.representative_revoke,
        name="representative_revoke",
    ),
    path("applications/<uuid:public_id>/", views.application_detail, name="application"),
    path(
        "applications/<uuid:public_id>/correction/",
        views.correction_new,
        name="correction_new",
    ),
    path(
        "applications/<uuid:public_id>/documents/<uuid:document_id>/",
        views.document_preview,
        name="document_preview",
    ),
    path(
        "applications/<uuid:public_id>/documents/<uuid:document_id>/pages/<int:page>/",
        views.document_page,
        name="document_page",
    ),
    path(
        "applications/<uuid:public_id>/documents/<uuid:document_id>/image/",
        views.document_image,
        name="document_image",
    ),
    # PR confirmation, per person (workflow.md §10).
    path(
        "applications/<uuid:public_id>/pr/<uuid:person_id>/",
        pr_views.pr_confirm,
        name="pr_confirm",
    ),
    path(
        "applications/<uuid:public_id>/pr/<uuid:person_id>/ecopr-error/",
        pr_views.ecopr_error,
        name="ecopr_error",
    ),
]
