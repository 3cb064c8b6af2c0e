from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from corpnet.selectors import dashboard_figures
from prices.selectors import latest_prices


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    latest = latest_prices(with_sparklines=False) if request.user.has_perm("prices.view_quote") else []
    return render(request, "home.html", {"figures": dashboard_figures(), "latest_prices": latest})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: answers 200 once the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
