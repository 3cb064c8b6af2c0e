from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from corpnet.money import MoneyField
from corpnet.text import normalize_search


class OrderStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# "Active" is the company's word for an order someone still works on.
ACTIVE_STATUSES = (OrderStatus.NEW, OrderStatus.IN_PROGRESS)


class OrderQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


class Order(models.Model):
    title = models.CharField(_("title"), max_length=200)
    executor = models.ForeignKey(
        "staff.Worker",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("executor"),
        db_index=False,  # order_executor_status_idx starts with executor_id and serves its lookups
    )
    creation_date = models.DateTimeField(_("created"), default=timezone.now)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("client"),
        db_index=False,  # order_client_status_idx starts with client_id and serves its lookups
    )
    sum = MoneyField(_("sum"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.NEW)
    # Normalised title for case-insensitive search on every database; see corpnet/text.py.
    search = models.CharField(max_length=255, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    # The database's own copy of ``is_active``, kept by the database, for one index that serves
    # the company's default view ("active orders, newest first") in order, page after page.
    # ``status IN (a, b) ORDER BY creation_date`` cannot be read in order from any index.
    active = models.GeneratedField(
        expression=models.Q(status__in=[str(s) for s in ACTIVE_STATUSES]),
        output_field=models.BooleanField(),
        db_persist=True,
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["search", "active"])

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-creation_date", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sum__gte=0),
                name="order_sum_not_negative",
                violation_error_message=_("An order's sum cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OrderStatus.values),
                name="order_status_valid",
                violation_error_message=_("Unknown order status."),
            ),
        ]
        indexes = [
            models.Index(fields=["-creation_date", "-id"], name="order_created_idx"),
            # The three below also carry the columns the reports (reports/selectors.py) read,
            # so that each report is answered from an index alone instead of fetching a million
            # rows: the per-month report reads ranges of the first, the workload report the
            # second, the client report scans the third. They replace narrower indexes with the
            # same leading columns: the status filter in date order; the foreign-key lookups
            # (PROTECT on delete); and a worker's or client's orders, whose active ones the
            # (executor|client, active, -creation_date, -id) prefix serves in the list's order
            # (SQLite otherwise walks every active order by date to find one worker's few).
            models.Index(
                fields=["status", "-creation_date", "-id", "executor", "sum"], name="order_status_created_idx"
            ),
            models.Index(
                fields=["executor", "active", "-creation_date", "-id", "status", "sum"],
                name="order_executor_status_idx",
            ),
            models.Index(
                fields=["client", "active", "-creation_date", "-id", "status", "executor", "sum"],
                name="order_client_status_idx",
            ),
            models.Index(fields=["active", "-creation_date", "-id"], name="order_active_created_idx"),
            models.Index(fields=["search"], name="order_search_idx"),
            # Keyset pages sorted by a column read (column, id) in order, forwards or backwards.
            models.Index(fields=["sum", "id"], name="order_sum_id_idx"),
            models.Index(fields=["title", "id"], name="order_title_id_idx"),
            models.Index(fields=["status", "id"], name="order_status_id_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def clean(self) -> None:
        from orders.rules import check_executor_current

        check_executor_current(self)

    def save(self, *args, **kwargs) -> None:
        # Derived search column; see staff.models.Worker.save for why it is kept here.
        self.search = normalize_search(self.title)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search"}
        super().save(*args, **kwargs)
