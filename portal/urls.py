"""URL wiring only: every app under its namespace, inside i18n_patterns."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# Staff sign in through allauth, so MFA and rate limits apply to the admin too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "PR Portal — staff"
admin.site.site_title = "PR Portal staff"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", include("accounts.urls")),
    path("auth/", include("allauth.urls")),
    path("help/", include("support.urls")),
    path("representative/", include("representatives.urls")),
    path("client/", include("clients.urls")),
    path(settings.ADMIN_URL_PATH, admin.site.urls),
    path("applications/", include("applications.urls")),
    path("applications/", include("forms_imm.urls")),
    prefix_default_language=True,
)
if settings.BENCH_ENDPOINTS:
    # The benchmark baseline (bench/README.md); routed only when BENCH_ENDPOINTS=1.
    from bench import views as bench_views

    urlpatterns.append(path("__bench/plain/", bench_views.plain))
