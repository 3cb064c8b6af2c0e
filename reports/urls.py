from django.urls import path

from reports import views

# No app namespace: the page's name is plain "reports", which base.html's navigation looks for.
urlpatterns = [
    path("", views.reports, name="reports"),
]
