from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from corpnet.selectors import dashboard_figures
from prices.selectors import home_prices


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "home.html", {"figures": dashboard_figures(), "latest_prices": home_prices(user=request.user)}
    )


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: answers 200 once the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
