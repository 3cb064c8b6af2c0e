from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("", views.worker_list, name="list"),
    path("export.csv", views.worker_export, name="export"),
    path("<int:pk>/", views.worker_detail, name="detail"),
]
