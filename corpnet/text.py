"""Text normalisation shared by every searchable model.

SQLite's ``LIKE`` and ``lower()`` fold only ASCII, so ``name=иванов`` would not find
"Иванов" there. Instead each searchable model keeps a ``search`` column holding the
casefolded, NFKC-normalised text (with "ё" folded to "е", as Russian readers expect), and
filters compare a query normalised the same way against it with a plain, case-sensitive
``LIKE``/``contains`` — which behaves identically on SQLite and PostgreSQL and can use an
index (a trigram index on PostgreSQL).
"""

from __future__ import annotations

import unicodedata


def normalize_search(*parts: str | None) -> str:
    text = " ".join(p.strip() for p in parts if p and p.strip())
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(text.split())
