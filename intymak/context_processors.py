import functools

from django.conf import settings
from django.urls import get_script_prefix, translate_url
from django.utils.translation import get_language, get_language_info


@functools.lru_cache(maxsize=1024)
def _translated(path, language, script_prefix, code):
    """translate_url() resolves the path in the active `language` and reverses it in `code` under the script prefix:
    the same answer for the same four, so its work (a resolve and a reverse per language, half a millisecond a page)
    is done once."""
    return translate_url(path, code)


def site(request):
    """The same page in each language, for the language switcher and hreflang links."""
    # The path without the script prefix (a portal mounted below a path): translate_url() resolves it and reverse()
    # puts the prefix back. The query string goes on as it is, outside the cache's key.
    path, question_mark, query = request.get_full_path_info().partition("?")
    language, script_prefix = get_language(), get_script_prefix()
    alternates = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        alternates.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": _translated(path, language, script_prefix, code) + question_mark + query,
            }
        )
    return {"alternates": alternates, "site_url": settings.SITE_URL}
