from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from corpnet import views
from reports import views as reports_views

urlpatterns = [
    path("", reports_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    # The language switch is on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("orders/", include("orders.urls")),
    path("staff/", include("staff.urls")),
    path("clients/", include("clients.urls")),
    path("reports/", include("reports.urls")),
    path("mailing/", include("mailing.urls")),
    path("prices/", include("prices.urls")),
    path("api/", include("corpnet.api.urls")),
    path("admin/", admin.site.urls),
]
