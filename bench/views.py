"""The benchmark baseline: a bare response behind the full middleware stack, signed in."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
@login_required
def plain(request):
    return HttpResponse(b"ok", content_type="text/plain")
