"""``{{ sum|money }}``, ``{{ sum|amount }}``, ``{{ client|person_name }}``: see corpnet/display.py.

A builtin library (settings.TEMPLATES), so no ``{% load %}`` is needed.
"""

from __future__ import annotations

from django import template

from corpnet import backlinks, display

register = template.Library()


@register.filter
def money(value, currency=None) -> str:
    return display.format_money(value, currency)


@register.filter
def amount(value) -> str:
    return display.format_amount(value)


@register.filter
def person_name(person, lastname=None) -> str:
    if isinstance(person, str) or person is None:
        return display.person_name(person, lastname)
    return display.person_name(person)


@register.simple_tag
def currency_sign() -> str:
    return display.currency_sign()


@register.simple_tag(takes_context=True)
def list_url(context, view_name: str) -> str:
    """``{% list_url "clients:list" %}``: that list with the filters the user left it with."""
    return backlinks.list_url(context.get("request"), view_name)
