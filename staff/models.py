from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from corpnet.text import normalize_search


class Post(models.Model):
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            # "Аналитик" and "аналитик" are one post; the database refuses the second.
            models.UniqueConstraint(
                Lower("title"),
                name="post_title_ci_unique",
                violation_error_message=_("A post with this title already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def unique_error_message(self, model_class, unique_check):
        # Django's "%(model_name)s with this %(field_label)s already exists." cannot put the
        # field's name in the case Russian needs («с таким названием»); this sentence can.
        if model_class is Post and tuple(unique_check) == ("title",):
            from django.core.exceptions import ValidationError

            return ValidationError(_("A post with this title already exists."), code="unique")
        return super().unique_error_message(model_class, unique_check)


class WorkerQuerySet(models.QuerySet):
    def current(self):
        """Workers who have not been dismissed: the default staff list and mailing audience."""
        return self.filter(dismissed_at__isnull=True)


class Worker(models.Model):
    name = models.CharField(_("name"), max_length=200)
    phone = PhoneNumberField(_("phone"))
    email = models.EmailField(_("email"), unique=True)
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="workers", verbose_name=_("post"))
    active_order = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("active order"),
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)
    # Normalised copy of the name for case-insensitive search on every database; see corpnet/text.py.
    search = models.CharField(max_length=255, editable=False, default="")
    # Optimistic locking: bumped by every update, so a stale form is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["search"])

    objects = WorkerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="worker_email_ci_unique",
                violation_error_message=_("A worker with this email already exists."),
            ),
        ]
        indexes = [
            models.Index(fields=["search"], name="worker_search_idx"),
            # Orders sorted by executor walk workers in this order (keyset pages end in id).
            models.Index(fields=["name", "id"], name="worker_name_id_idx"),
            models.Index(fields=["post", "name"], name="worker_post_name_idx"),
            models.Index(fields=["dismissed_at", "name"], name="worker_dismissed_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dismissed(self) -> bool:
        return self.dismissed_at is not None

    def clean(self) -> None:
        from orders.rules import check_active_order

        check_active_order(self, owner_field="executor_id")

    def save(self, *args, **kwargs) -> None:
        # A derived column, kept in step here so that every write path (services, admin,
        # fixtures) fills it; bulk loaders call normalize_search themselves.
        self.search = normalize_search(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search"}
        super().save(*args, **kwargs)
