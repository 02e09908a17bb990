from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("signed-out/", views.signed_out, name="signed_out"),
]
