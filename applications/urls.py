from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.create, name="create"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/history/", views.history, name="history"),
    path("<uuid:public_id>/copy/", views.copy, name="copy"),
    path("<uuid:public_id>/program-details/", views.program_details, name="program_details"),
    path("<uuid:public_id>/client/resend-password/", views.client_resend, name="client_resend"),
    path("<uuid:public_id>/client/email/", views.client_email, name="client_email"),
    path("<uuid:public_id>/people/new/", views.person_add, name="person_add"),
    path("<uuid:public_id>/people/<uuid:person_id>/", views.person_edit, name="person_edit"),
    path(
        "<uuid:public_id>/people/<uuid:person_id>/remove/",
        views.person_remove,
        name="person_remove",
    ),
]
