from django.urls import path

from . import views

app_name = "representatives"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile_edit"),
    path("status/", views.status, name="status"),
    path("id-document/<uuid:public_id>/", views.id_document, name="id_document"),
]
