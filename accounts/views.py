from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from applications.models import Program

from .models import User


@require_safe
def home(request):
    """The public landing page; signed-in people go straight to their own start page."""
    if request.user.is_authenticated:
        return redirect("accounts:start")
    programs = Program.objects.active().only("code", "name_en", "name_fr", "order")
    return render(request, "pages/home.html", {"programs": programs})


@require_safe
@login_required
def start(request):
    """Send each kind of account to where its work is."""
    user = request.user
    if user.is_staff:
        return redirect("admin:index")
    if user.role == User.Role.REPRESENTATIVE:
        return render(request, "pages/start.html")
    return render(request, "pages/start.html")


@require_safe
def privacy(request):
    return render(request, "pages/privacy.html")


@require_safe
def terms(request):
    return render(request, "pages/terms.html")
