"""Placeholders in a mailing's subject and body, filled from the recipient's own fields only.

User-written text is never handed to Django's template engine (it would expose tags, filters
and whatever the context holds). A placeholder is exactly ``{{ field }}`` with a field from
PLACEHOLDERS; anything else that looks like one is an error caught before sending. In the
HTML part the values are escaped; the text the sender wrote is kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corpnet.display import person_name

PLACEHOLDERS: dict[str, str] = {
    "name": gettext_lazy("first name (a worker's full name)"),
    "lastname": gettext_lazy("last name (clients)"),
    "fullname": gettext_lazy("last name and name"),
    "email": gettext_lazy("the recipient's address"),
}

# Anything between double braces counts as an attempted placeholder, so "{{ nmae }}" or
# "{{ name|upper }}" is reported rather than sent literally to ten thousand people.
_BRACES = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(r"^\s*([a-z_]+)\s*$")


def unknown_placeholders(text: str) -> list[str]:
    bad = []
    for match in _BRACES.finditer(text or ""):
        name = _NAME.match(match.group(1))
        if not name or name.group(1) not in PLACEHOLDERS:
            bad.append(match.group(0))
    return bad


def check_placeholders(**texts: str) -> dict[str, ValidationError]:
    errors = {}
    for field, text in texts.items():
        bad = unknown_placeholders(text)
        if bad:
            errors[field] = ValidationError(
                _("Unknown placeholder %(bad)s. Available: %(known)s.")
                % {
                    "bad": ", ".join(dict.fromkeys(bad)),
                    "known": ", ".join("{{ " + k + " }}" for k in PLACEHOLDERS),
                },
                code="placeholder",
            )
    return errors


def recipient_context(*, name: str, lastname: str, email: str) -> dict[str, str]:
    return {
        "name": name,
        "lastname": lastname,
        "fullname": person_name(name, lastname),
        "email": email,
    }


def fill(text: str, context: Mapping[str, str], *, html: bool = False) -> str:
    """Replace known placeholders; values are HTML-escaped when filling the HTML part."""

    def replace(match: re.Match) -> str:
        name = _NAME.match(match.group(1))
        if not name or name.group(1) not in context:
            # Validation refuses these before anything is queued; keep them visible if reached.
            return match.group(0)
        value = str(context[name.group(1)])
        return escape(value) if html else value

    return _BRACES.sub(replace, text or "")


def fill_subject(text: str, context: Mapping[str, str]) -> str:
    # A recipient's name with a line break must not become a second header either.
    return " ".join(fill(text, context).split())
