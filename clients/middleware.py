from django.shortcuts import redirect

from accounts.middleware import PASS_THROUGH_AFTER_SIGN_OUT

from .services import client_needs_password

# Pages a client who signed in with the temporary password may open before choosing their own
# password: that page, signing out, the keepalive, the signed-out page and the language switch.
PASSWORD_REQUIRED_EXEMPT = frozenset({"clients:set_password", *PASS_THROUGH_AFTER_SIGN_OUT})


class ClientPasswordRequiredMiddleware:
    """A client signed in with the temporary password must choose a password before anything
    else (QUALITY.md §2): every other page redirects to ``clients:set_password``. No query:
    such an account is the only client account without a usable password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not client_needs_password(request.user):
            return None
        if request.resolver_match.view_name in PASSWORD_REQUIRED_EXEMPT:
            return None
        return redirect("clients:set_password")
