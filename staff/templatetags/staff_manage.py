"""Lets the worker's page include its history without its view knowing how it is built.

The tag only calls the selector (two queries, whatever the history's length); the
diffing lives in ``staff.selectors.worker_history``. A view that already put
``history_entries`` in the context is used as is.
"""

from django import template

from staff.selectors import worker_history as _worker_history

register = template.Library()


@register.simple_tag(takes_context=True)
def worker_history(context, worker):
    return context.get("history_entries") or _worker_history(worker=worker)
