"""Validators shared by several apps."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# A dot-atom local part in plain ASCII (RFC 5321 without quoted strings): what every mail
# server takes without SMTPUTF8, and nothing a browser could read as markup.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
# The everyday shape — ASCII dot-atom, ASCII labels of at most 63, a letters-only top-level
# domain — is deliverable by construction; checked with one regex (mailing lists run this on
# every recipient), everything else goes through the full checks below.
_PLAIN = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def is_plain_email(value: str) -> bool:
    """The everyday address shape, deliverable as written (no name, no encoding needed)."""
    return len(value) <= 254 and len(value.partition("@")[0]) <= 64 and _PLAIN.fullmatch(value) is not None


def deliverable_email_problem(value: str) -> str | None:
    """Why Django's SMTP backend could not send to ``value`` as written, or None."""
    if is_plain_email(value):
        return None
    try:
        validate_email(value)
    except ValidationError:
        return str(_("not a valid email address"))
    local, _at, domain = value.rpartition("@")
    if not _LOCAL.fullmatch(local):
        return str(
            _("the part before @ may only hold Latin letters, digits and . ! # $ % & ' * + / = ? ^ _ ` { | } ~ -")
        )
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
        # IDNA silently maps or drops some characters (U+2028 disappears): the address
        # would reach another domain than the one written.
        round_trip = ascii_domain.encode("ascii").decode("idna")
    except UnicodeError:
        return str(_("the domain cannot be written in ASCII (IDNA)"))
    if round_trip.lower() != domain.lower().rstrip("."):
        return str(_("the domain holds characters that cannot be sent"))
    labels = ascii_domain.split(".")
    if len(ascii_domain) > 253 or any(len(label) > 63 or not _LABEL.fullmatch(label) for label in labels):
        return str(_("a part of the domain is too long or holds characters that cannot be sent"))
    return None


def validate_deliverable_email(value: str) -> None:
    """Refuse addresses Django's SMTP backend would fail to encode or send.

    Stricter than ``EmailValidator``: no quoted local parts (they may hold markup or spaces),
    no characters IDNA drops or cannot encode (U+2028, labels over 63 octets once encoded).
    """
    problem = deliverable_email_problem(value or "")
    if problem:
        raise ValidationError(
            _("“%(value)s” cannot receive mail: %(problem)s.") % {"value": value, "problem": problem},
            code="undeliverable",
        )
