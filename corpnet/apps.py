"""App configs corpnet substitutes for third-party ones, only to give them translatable names."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db names itself "Tasks Database Backend", untranslated, in the admin."""

    verbose_name = _("Background tasks")
