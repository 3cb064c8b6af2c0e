from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("", views.worker_list, name="list"),
    path("export.csv", views.worker_export, name="export"),
    path("<int:pk>/", views.worker_detail, name="detail"),
]

# Staff management.
urlpatterns += [
    path("new/", views.worker_new, name="new"),
    path("<int:pk>/edit/", views.worker_edit, name="edit"),
    path("<int:pk>/delete/", views.worker_delete, name="delete"),
    path("<int:pk>/reassign/", views.worker_reassign, name="reassign"),
    path("<int:pk>/dismiss/", views.worker_dismiss, name="dismiss"),
    path("<int:pk>/reinstate/", views.worker_reinstate, name="reinstate"),
    path("<int:pk>/restore/", views.worker_restore, name="restore"),
    path("posts/", views.post_list, name="posts"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
]
