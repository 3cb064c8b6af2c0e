"""The admin's model names in the grammatical case Russian needs.

Django's admin builds "Add %s", "Select %s to change", "Are you sure you want to delete the
%(object_name)s …" and "600 clients" from a model's ``verbose_name`` alone, which in Russian
gives «Добавить сотрудник» and «600 клиенты». Here each model name has, in the catalogue:

- an accusative form, ``pgettext("accusative", "worker")`` → «сотрудника»
  (used after «Добавить», «Изменить», «Просмотреть», «Выберите», «удалить»);
- a counted form, ``npgettext("admin count", "worker", "workers", n)`` → «600 сотрудников».

English needs neither (the msgid is the English name), and a model without an entry keeps
Django's wording, so a new model is never worse than before. ``AdminGrammarMiddleware``
puts the accusative into the admin views' titles; the template library ``corpnet_admin``
(used by templates/admin/*.html) does it for the "Add" button, the breadcrumbs and the count.
"""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.translation import gettext, npgettext, pgettext
from django.utils.translation import gettext_lazy as _

register = template.Library()

#: The admin's title formats that take a model name in the accusative.
TITLE_FORMATS = ("Add %s", "Change %s", "View %s", "Select %s", "Select %s to change", "Select %s to view")


def english_names(opts) -> tuple[str, str]:
    with translation.override("en"):
        return str(opts.verbose_name), str(opts.verbose_name_plural)


def accusative(opts) -> str:
    """The model's name as the object of a verb («сотрудника»), or its plain name."""
    singular, _ = english_names(opts)
    form = pgettext("accusative", singular)
    return str(opts.verbose_name) if form == singular else form


def counted(opts, n: int) -> str:
    """The model's name agreeing with the number n («1 клиент», «3 клиента», «600 клиентов»)."""
    singular, plural = english_names(opts)
    form = npgettext("admin count", singular, plural, n)
    if form in (singular, plural):  # no entry in this language: Django's own choice
        return str(opts.verbose_name if n == 1 else opts.verbose_name_plural)
    return form


@register.filter(name="accusative")
def accusative_filter(opts) -> str:
    return accusative(opts)


@register.simple_tag
def admin_count(opts, n) -> str:
    return f"{n} {counted(opts, n)}"


class AdminGrammarMiddleware:
    """Rewrites an admin view's title and object name into the accusative before rendering."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        context = getattr(response, "context_data", None) or {}
        opts = context.get("opts")
        if opts is None or not hasattr(opts, "verbose_name") or "site_header" not in context:
            return response  # not an admin model page
        nominative, form = str(opts.verbose_name), accusative(opts)
        if form == nominative:
            return response
        title = str(context.get("title") or "")
        for pattern in TITLE_FORMATS:
            if title == gettext(pattern) % nominative:
                context["title"] = gettext(pattern) % form
                break
        else:
            if title == gettext("Cannot delete %(name)s") % {"name": nominative}:
                context["title"] = gettext("Cannot delete %(name)s") % {"name": form}
        if context.get("object_name") == nominative:  # "Are you sure you want to delete the …"
            context["object_name"] = form
        return response


def name_fields(model, **labels) -> None:
    """Give translatable names to fields declared without one, without a migration.

    A field's name enters migrations only when it was passed to the field (``_verbose_name``);
    the name Django derives from the attribute ("claimed at") does not, so replacing the
    derived one with ``gettext_lazy("claimed at")`` changes what people read and nothing else.
    """
    for name, label in labels.items():
        field = model._meta.get_field(name)
        if field._verbose_name is None:
            field.verbose_name = label


def name_history_models() -> None:
    """django-simple-history names its models "historical <name>" in English, untranslatable;
    they appear in the admin's permission lists. Renamed at run time, as above, which leaves
    migrations alone (they read the Meta the class was declared with)."""
    from django.apps import apps
    from django.utils.text import format_lazy
    from simple_history.models import HistoricalChanges

    for model in apps.get_models():
        if not issubclass(model, HistoricalChanges):
            continue
        base = model.instance_type._meta
        model._meta.verbose_name = format_lazy(_("history of {}"), base.verbose_name)
        model._meta.verbose_name_plural = format_lazy(_("history of {}"), base.verbose_name_plural)
