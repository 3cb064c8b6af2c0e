"""Forms for the order pages: they check the shape of the input; orders/services.py the rules."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from clients.selectors import client_list
from corpnet.filters import words_condition
from corpnet.forms import MoneyFormField
from orders.models import Order
from staff.models import Worker

FIELDS = ("title", "executor", "sum", "description")

#: How many people a finder offers (the datalist under the field, the JSON answer).
FOUND = 20

#: A finder's choice ends with the person's id: "Петров Иван — Трейдер · #12".
CHOSEN = re.compile(r"#(\d+)\s*$")


def executors_found(text: str) -> list[Worker]:
    """Current (not dismissed) workers whose name matches ``text`` as the staff list finds it."""
    condition = words_condition("search", text)
    if condition is None:
        return []
    workers = Worker.objects.current().filter(condition).select_related("post").order_by("name", "id")
    return list(workers[:FOUND])


def clients_found(text: str) -> list[Client]:
    """Clients whose name matches ``text`` as the clients list finds it."""
    if not text.strip():
        return []
    _filterset, queryset = client_list(data={"name": text})
    return list(queryset[:FOUND])


def executor_label(worker: Worker) -> str:
    return f"{worker.name} — {worker.post.title} · #{worker.pk}"


def client_label(client: Client) -> str:
    return f"{client.lastname} {client.name} — {client.email} · #{client.pk}"


class FinderInput(forms.TextInput):
    """A text box tied to a <datalist> (rendered by the page) that static/js/finder.js fills
    from a JSON finder as one types; without script the form's own answer fills it."""

    def __init__(self, name: str, url: str) -> None:
        super().__init__(
            attrs={"list": f"{name}-found", "autocomplete": "off", "data-finder": url, "spellcheck": "false"}
        )


class OrderForm(forms.Form):
    """Open an order for a client (the client is fixed by the page) or edit one (the client
    may then be changed too).

    The executor and the client are typed: a choice from the finder ("… · #12") names the
    person, a bare name is searched; one match is taken, several are offered to pick from.
    """

    title = forms.CharField(label=_("Title"), max_length=200)
    executor = forms.CharField(
        label=_("Executor"),
        max_length=300,
        widget=FinderInput("executor", reverse_lazy("orders:find_executors")),
        help_text=_("Type a part of the name and pick the worker from the list."),
    )
    # Typed as the page shows sums: "1 000,50" in Russian (corpnet/forms.py).
    sum = MoneyFormField(label=_("Sum"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, order: Order | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order = order
        #: What the finders offer under their fields after this submission (field name → labels).
        self.found: dict[str, list[str]] = {"executor": [], "client": []}
        if order is not None:
            self.fields["client"] = forms.CharField(
                label=_("Client"),
                max_length=300,
                widget=FinderInput("client", reverse_lazy("orders:find_clients")),
                help_text=_("Type a part of the name and pick the client from the list."),
            )
            self.order_fields(["title", "client", "executor", "sum", "description", "version"])

    @classmethod
    def for_order(cls, order: Order, **kwargs) -> OrderForm:
        initial = {name: getattr(order, name) for name in FIELDS}
        initial["executor"] = executor_label(order.executor)
        initial["client"] = client_label(order.client)
        initial["version"] = order.version
        return cls(initial=initial, order=order, **kwargs)

    def _pick(self, name: str, queryset: QuerySet, search, label, none: str) -> Model:
        text = self.cleaned_data[name]
        chosen = CHOSEN.search(text)
        if chosen:
            found = queryset.filter(pk=int(chosen.group(1))).first()
            if found is None:
                raise ValidationError(none, code="invalid_choice")
            return found
        matches = search(text)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(none, code="invalid_choice")
        self.found[name] = [label(match) for match in matches]
        raise ValidationError(_("Several match that name: pick one from the list."), code="ambiguous")

    def clean_executor(self) -> Worker:
        # Current staff take new work; an order's own (maybe dismissed) executor stays choosable
        # so that editing a finished order's title does not force a new executor on it.
        workers = Worker.objects.select_related("post")
        own = self.order.executor_id if self.order else None
        allowed = workers.filter(dismissed_at__isnull=True) | workers.filter(pk=own)
        none = _("No current worker has that name.")
        return self._pick("executor", allowed, executors_found, executor_label, none)

    def clean_client(self) -> Client:
        return self._pick("client", Client.objects.all(), clients_found, client_label, _("No client has that name."))

    def service_data(self) -> dict:
        names = FIELDS + (("client",) if "client" in self.fields else ())
        return {name: self.cleaned_data[name] for name in names}
