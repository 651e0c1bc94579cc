from modeltranslation.translator import TranslationOptions, register

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
