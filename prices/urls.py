from django.urls import path

from prices import views

app_name = "prices"

urlpatterns = [
    path("", views.price_list, name="list"),
    path("<str:symbol>/", views.price_detail, name="detail"),
]
