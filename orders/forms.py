"""Forms for the order pages: they check the shape of the input; orders/services.py the rules."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from corpnet.forms import MoneyFormField
from orders.models import Order
from staff.models import Worker

FIELDS = ("title", "executor", "sum", "description")


class OrderForm(forms.Form):
    """Open an order for a client (the client is fixed by the page) or edit one."""

    title = forms.CharField(label=_("Title"), max_length=200)
    executor = forms.ModelChoiceField(label=_("Executor"), queryset=Worker.objects.none())
    # Typed as the page shows sums: "1 000,50" in Russian (corpnet/forms.py).
    sum = MoneyFormField(label=_("Sum"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, order: Order | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Current staff take new work; an order's own (maybe dismissed) executor stays choosable
        # so that editing a finished order's title does not force a new executor on it.
        workers = Worker.objects.filter(Q(dismissed_at__isnull=True) | Q(pk=order.executor_id if order else None))
        field = self.fields["executor"]
        field.queryset = workers.select_related("post").order_by("name", "id")
        field.label_from_instance = lambda w: f"{w.name} — {w.post.title}"

    @classmethod
    def for_order(cls, order: Order, **kwargs) -> OrderForm:
        initial = {name: getattr(order, name) for name in FIELDS}
        initial["executor"] = order.executor_id
        initial["version"] = order.version
        return cls(initial=initial, order=order, **kwargs)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIELDS}
