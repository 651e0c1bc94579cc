from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Location, Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Location)
class LocationTranslationOptions(TranslationOptions):
    fields = ("name",)


# Change history, registered here and not on the model so that it records every language's field.
register_history(Location)
