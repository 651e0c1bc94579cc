"""{{ n|initiatives }}: "3 initiatives" in the page's language, for counts shown in long lists.

The same texts as `{% blocktranslate count %}`, at a fraction of its cost: it renders two node lists and a
context per item, where a filter calls ngettext once (a region page shows one for each of its places; the
measured difference is in benchmarks/README.md).
"""

from django import template
from django.utils.formats import localize
from django.utils.translation import ngettext

register = template.Library()


# ngettext() is called with the texts themselves, so that makemessages finds them.


@register.filter
def initiatives(count):
    return ngettext("%(counter)s initiative", "%(counter)s initiatives", count) % {"counter": localize(count)}


@register.filter
def participants(count):
    return ngettext("%(counter)s participant", "%(counter)s participants", count) % {"counter": localize(count)}
