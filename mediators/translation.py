from modeltranslation.translator import TranslationOptions, register

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
