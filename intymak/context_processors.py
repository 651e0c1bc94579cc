from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def site(request):
    """The same page in each language, for the language switcher and hreflang links."""
    path = request.get_full_path()
    alternates = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        alternates.append({"code": code, "name": info["name_local"], "url": translate_url(path, code)})
    return {"alternates": alternates, "site_url": settings.SITE_URL}
