from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from huicai.accounts.roles import Role, get_scope
from huicai.commissioners.models import Post
from huicai.org.models import Employer
from huicai.talents.models import Talent


@login_required
def home(request):
    """Who the user is and what their jurisdiction holds: the seed of each role's workbench."""
    scope = get_scope(request.user)
    context = {
        "roles": [Role(r).label for r in sorted(scope.roles)],
        "windows": scope.window_names,
        "talent_count": Talent.objects.visible_to(request.user).count(),
        "employer_count": Employer.objects.visible_to(request.user).count(),
        "commissioner_count": Post.objects.visible_to(request.user).values("user_id").distinct().count(),
        "own_talent": Talent.objects.visible_to(request.user).filter(pk=scope.talent_id).first()
        if scope.talent_id
        else None,
    }
    return render(request, "core/home.html", context)


def healthz(request):
    """Liveness and database reachability for the proxy and the process manager."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
