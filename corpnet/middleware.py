"""Response headers every page gets."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreForLoggedInMiddleware:
    """Nothing shown to a logged-in user (client names, deposits, exports) is stored by the
    browser's cache or a proxy: ``Cache-Control: no-store`` on every response to one.
    Static files (WhiteNoise answers them before this runs) are unaffected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
