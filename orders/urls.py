from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("export.csv", views.order_export, name="export"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("new/", views.order_new, name="new"),
    path("<int:pk>/edit/", views.order_edit, name="edit"),
    path("find/executors/", views.find_executors, name="find_executors"),
    path("find/clients/", views.find_clients, name="find_clients"),
    path("<int:pk>/status/", views.order_status, name="status"),
]
