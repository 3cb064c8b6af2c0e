from django.urls import path

from mailing import views

app_name = "mailing"

urlpatterns = [
    path("", views.mailing_list_view, name="list"),
    path("new/", views.mailing_new, name="new"),
    path("<int:pk>/", views.mailing_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.mailing_action, name="action"),
    path("outbox/", views.outbox, name="outbox"),
]
