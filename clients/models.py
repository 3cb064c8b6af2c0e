from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from corpnet.display import person_name
from corpnet.money import MoneyField
from corpnet.text import normalize_search


class Client(models.Model):
    name = models.CharField(_("name"), max_length=100)
    lastname = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = PhoneNumberField(_("phone"))
    sum = MoneyField(_("deposit"), default=0)
    active_order = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("active order"),
    )
    mailing_opt_out = models.BooleanField(
        _("opted out of mailings"),
        default=False,
        help_text=_("Never include this client in mailings sent to a filtered audience."),
    )
    # Normalised "name lastname" for case-insensitive search on every database; see corpnet/text.py.
    search = models.CharField(max_length=255, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["search"])

    class Meta:
        ordering = ["lastname", "name", "id"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sum__gte=0),
                name="client_sum_not_negative",
                violation_error_message=_("A client's deposit cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["search"], name="client_search_idx"),
            # With the id, the default order (lastname, name, id) is read from this index alone,
            # so a deep page skips its rows without touching the table.
            models.Index(fields=["lastname", "name", "id"], name="client_name_order_idx"),
            # Keyset pages sorted by a column read (column, id) in order, forwards or backwards.
            models.Index(fields=["lastname", "id"], name="client_lastname_id_idx"),
            models.Index(fields=["name", "id"], name="client_first_name_id_idx"),
            models.Index(fields=["email", "id"], name="client_email_id_idx"),
            models.Index(fields=["sum", "id"], name="client_sum_id_idx"),
        ]

    def __str__(self) -> str:
        return person_name(self.name, self.lastname)  # "Иванова Валерия", as everywhere

    def clean(self) -> None:
        from orders.rules import check_active_order

        check_active_order(self, owner_field="client_id")

    def save(self, *args, **kwargs) -> None:
        # Derived search column; see Worker.save for why it is kept here.
        self.search = normalize_search(self.name, self.lastname)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search"}
        super().save(*args, **kwargs)
