import pytest


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the home figures are cached for a minute) and
    leaves the default language active (a request in Russian leaves Russian active)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    yield
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
