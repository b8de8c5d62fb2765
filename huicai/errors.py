"""The project's error views: JSON in the documented shape under ``/api/``, Chinese pages elsewhere.

Django calls these (``handler400/403/404/500`` in ``huicai/urls.py``, ``CSRF_FAILURE_VIEW``) for errors
that never reach a view, or escape one: an unknown or non-numeric id in a URL, an uncaught exception
with DEBUG off. Inside an API view, DRF's exception handler (``huicai.api.errors``) answers first; these
cover what it cannot see, so an API client never gets an HTML page, and nobody sees a traceback.
"""

from django.http import JsonResponse
from django.views import csrf, defaults

from huicai.api.errors import MESSAGES

API_PREFIX = "/api/"

# The same codes and messages as the API's own exception handler, for the statuses only Django raises.
API_ERRORS = {
    400: ("parse_error", MESSAGES["parse_error"]),
    403: ("permission_denied", MESSAGES["permission_denied"]),
    404: ("not_found", MESSAGES["not_found"]),
    500: ("server_error", "服务器内部错误，请稍后重试；问题已记录。"),
}


def is_api(request):
    return request.path.startswith(API_PREFIX)


def api_error(status):
    code, message = API_ERRORS[status]
    return JsonResponse(
        {"code": code, "message": message, "errors": {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def api_not_found(request, *args, **kwargs):
    """The last route under /api/: an unknown path is the JSON 404, whatever DEBUG says."""
    return api_error(404)


def bad_request(request, exception):
    if is_api(request):
        return api_error(400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return api_error(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return api_error(404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Renders without the request's context processors, so a broken database cannot break the page."""
    if is_api(request):
        return api_error(500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    if is_api(request):
        return api_error(403)
    return csrf.csrf_failure(request, reason=reason)
