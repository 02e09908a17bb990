from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.home, name="home"),
    path("password/", views.set_password, name="set_password"),
    path("applications/<uuid:public_id>/", views.application_detail, name="application"),
    path(
        "applications/<uuid:public_id>/correction/",
        views.correction_new,
        name="correction_new",
    ),
]
