from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Grant, GrantUpdate, Organization, Program, ProgramComponent, Theme


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Program)
class ProgramTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "description")


@register(ProgramComponent)
class ProgramComponentTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Grant)
class GrantTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description", "targets")


@register(GrantUpdate)
class GrantUpdateTranslationOptions(TranslationOptions):
    fields = ("title", "text")


# Change history, registered here and not on the models so that it records every language's field.
register_history(Organization)
register_history(GrantUpdate)
register_history(
    Grant, excluded_fields=["search_text", "search_vector", "updated_at"], m2m_fields=["locations", "themes"]
)
