from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Language, Mediator, Specialisation, Training


@register(Language)
class LanguageTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Specialisation)
class SpecialisationTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Mediator)
class MediatorTranslationOptions(TranslationOptions):
    fields = ("name", "biography")


@register(Training)
class TrainingTranslationOptions(TranslationOptions):
    fields = ("title", "description")


# Change history, registered here and not on the models so that it records every language's field.
register_history(Mediator, m2m_fields=["languages", "specialisations"])
register_history(Training, m2m_fields=["participants"])
