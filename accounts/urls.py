from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("individual/signup/", views.individual_signup, name="individual_signup"),
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("account/", views.account, name="account"),
    path("account/mfa-reset/", views.mfa_reset_request, name="mfa_reset_request"),
    path("account/mfa-reset/sent/", views.mfa_reset_requested, name="mfa_reset_requested"),
    # allauth's own address for the email page; this entry is matched first (portal/urls.py
    # includes these URLs before allauth's) so that clients are refused (views.email_manage).
    path("auth/email/", views.email_manage, name="email_manage"),
]
