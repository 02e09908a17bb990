"""Who and where a request comes from, for audit rows: the client IP and the request ID."""

import re

REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")


def client_ip(request) -> str | None:
    """The client IP as allauth computes it (through ``ALLAUTH_TRUSTED_PROXY_COUNT`` proxies)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # allauth refuses a request without a usable address
        return None


def request_meta(request) -> dict:
    """Keyword arguments for ``audit_record``: ``ip`` and ``request_id``."""
    if request is None:
        return {}
    request_id = getattr(request, "request_id", "") or request.META.get("HTTP_X_REQUEST_ID", "")
    if not REQUEST_ID_PATTERN.fullmatch(request_id or ""):
        request_id = ""
    return {"ip": client_ip(request), "request_id": request_id}
