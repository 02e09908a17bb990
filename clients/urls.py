from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.home, name="home"),
    path("password/", views.set_password, name="set_password"),
    path("applications/new/", views.application_start, name="application_start"),
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
]
