"""``/api/v1/``: every app's viewsets on one router, plus the schema and its docs page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from clients.api.views import ClientViewSet
from corpnet.api import views
from mailing.api.views import MailingViewSet
from orders.api.views import OrderViewSet
from prices.api.views import CoinViewSet, QuoteViewSet
from staff.api.views import PostViewSet, WorkerViewSet

router = DefaultRouter(trailing_slash=True)
router.register("posts", PostViewSet, basename="post")
router.register("workers", WorkerViewSet, basename="worker")
router.register("clients", ClientViewSet, basename="client")
router.register("orders", OrderViewSet, basename="order")
router.register("mailings", MailingViewSet, basename="mailing")
router.register("prices/coins", CoinViewSet, basename="coin")
router.register("prices/quotes", QuoteViewSet, basename="quote")

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    # Anything else under /api/ answers a JSON 404, not the site's HTML page.
    re_path(r"^v1/", views.not_found),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs are a page for people (Swagger UI from drf-spectacular-sidecar's vendored
    # files; Redoc is left out because drf-spectacular's template loads Google Fonts): anonymous visitors go to the login form, as elsewhere.
    # The split view serves its start-up script as a file (?script=), so the page runs under
    # the Content-Security-Policy without inline scripts.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
]
