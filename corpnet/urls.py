from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from corpnet import views
from corpnet.admin_titles import name_history_models
from reports import views as reports_views

admin.site.site_header = _("corpnet administration")
admin.site.site_title = _("corpnet admin")
admin.site.index_title = _("Administration")
name_history_models()

urlpatterns = [
    path("", reports_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the API docs, plain files).
    path("favicon.ico", views.favicon, name="favicon"),
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

handler400 = "corpnet.views.bad_request"
handler500 = "corpnet.views.server_error"
