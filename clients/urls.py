from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("export.csv", views.client_export, name="export"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("new/", views.client_new, name="new"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
]
