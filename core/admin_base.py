"""What every admin of the project shares.

- Nothing English is left on the admin in Kyrgyz or Russian: Django writes the alt text of yes/no icons ("True"),
  the names of many-to-many tables ("Grant-location relationship") and the changed fields in its change log
  ("Changed Targets [en].") in English whatever the language.
- Roles: a regional coordinator sees and edits only the records of their regions (others are 404, in lists, forms,
  choices and autocomplete alike); a translator changes only the translated text fields.
- No silent overwrites: a record saved by someone else since the form was opened is not overwritten; the form
  says who changed what, and keeps what was typed.
"""

import json
import re

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.forms.models import model_to_dict
from django.http import Http404
from django.templatetags.static import static
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.translator import NotRegistered, translator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .history import record_links, restore_reason
from .roles import coordinated_region_ids, is_manager, is_translator_only
from .translated import language_codes
from .transliteration import latin_slug, unique_slug


def yes_no(field, description):
    """A list column like Django's boolean one, with the icon's text in the page's language."""

    def column(obj):
        icon, text = ("yes", _("Yes")) if getattr(obj, field) else ("no", _("No"))
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)

    column.short_description = description
    column.admin_order_field = field
    return column


def _link_table_labels():
    """The labels Django gives rows of automatic many-to-many tables on a delete page, in every model."""
    labels = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.auto_created:
            names = (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
            labels |= {*names, *(capfirst(name) for name in names)}
    return labels


def _journal_labels():
    """The admin's change log is deleted with the people who wrote it; its lines are Django's English."""
    names = (str(LogEntry._meta.verbose_name), str(LogEntry._meta.verbose_name_plural))
    return {*names, *(capfirst(name) for name in names)}


def _prune(items, labels):
    kept = []
    for item in items:
        if isinstance(item, list):
            nested = _prune(item, labels)
            if nested:
                kept.append(nested)
        elif not any(str(item).startswith(f"{label}:") for label in labels):
            kept.append(item)
    return kept


_LANGUAGE_TAG = re.compile(r"(?P<label>.*?)(?P<tag> \[[\w-]+\])?")


def _label_in_language(label):
    """A changed field's label as Django's change log keeps it, untranslated ("Targets [en]": the capitalised
    verbose name and modeltranslation's language tag), in the page's language."""
    match = _LANGUAGE_TAG.fullmatch(label)
    base, tag = match["label"], match["tag"] or ""
    # The verbose name first ("order", as the models write it), then the label as it is ("IP Address").
    for msgid in (base[:1].lower() + base[1:], base):
        text = _(msgid)
        if text != msgid:
            return capfirst(text) + tag
    return label


def change_messages_in_language(entries):
    """Put the changed fields of these change-log entries (not saved) into the page's language: Django looks each
    label up as a message of its own, which "Targets [en]" never is, so its history pages showed English."""
    for entry in entries:
        try:
            message = json.loads(entry.change_message or "")
        except ValueError:
            continue  # an old plain-text message: shown as it was written
        if not isinstance(message, list):
            continue
        for part in message:
            changed = part.get("changed") if isinstance(part, dict) else None
            if isinstance(changed, dict) and isinstance(changed.get("fields"), list):
                changed["fields"] = [_label_in_language(str(label)) for label in changed["fields"]]
        entry.change_message = json.dumps(message)


class InPageLanguage:
    """For every admin, the project's and the third-party apps' alike: their history and delete pages in the
    page's language."""

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None) or {}
        if context.get("action_list"):
            change_messages_in_language(context["action_list"])
        return response

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Links between records go with them; listing them would only show untranslatable table names. The change
        # log's lines are counted, not listed.
        links = _link_table_labels()
        counts = {name: n for name, n in counts.items() if str(name) not in links}
        return _prune(deleted, links | _journal_labels()), counts, perms_needed, protected


def translated_field_names(model):
    """name_ky, name_ru, name_en, ... for every translated field of the model."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return set()
    return {f"{name}_{code}" for name in options.get_field_names() for code in language_codes()}


# The languages a slug is made from, in this order: addresses have been English so far.
SLUG_SOURCE_LANGUAGES = ("en", "ky", "ru")


class SlugFromNameForm(forms.ModelForm):
    """A record's address (slug) that staff may leave empty: made on the server from its title or name in whichever
    language they wrote it, in Latin letters, and unique. The admin's own prepopulation fills it only from the
    English name, and only with JavaScript. A slug typed in Cyrillic (or with spaces) is written in Latin letters;
    one that is valid already is kept exactly, so that saving a record never moves its address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("slug")
        if field is not None:  # absent where the slug is read-only (a translator's form)
            self.fields["slug"] = forms.CharField(
                label=field.label,
                required=False,
                # Also what the admin's prepopulation cuts the English name's slug to.
                max_length=field.max_length,
                widget=field.widget,
                help_text=gettext_lazy(
                    "The record's address on the site: Latin letters, digits and hyphens. Leave it empty to have "
                    "it made from the title or name (English if there is one, else Kyrgyz, else Russian); "
                    "Cyrillic letters are written in Latin ones."
                ),
            )

    def clean(self):
        data = super().clean()
        if "slug" in self.fields:
            self._make_slug(data)
        return data

    def _make_slug(self, data):
        max_length = type(self.instance)._meta.get_field("slug").max_length
        typed = (data.get("slug") or "").strip()
        if typed:
            try:
                validate_slug(typed)
                slug = typed
            except ValidationError:
                slug = latin_slug(typed)
            if not slug:
                message = _(
                    "An address is made of Latin letters, digits and hyphens, and none is left of “%(slug)s”. "
                    "Type another, or leave it empty to have it made from the name."
                ) % {"slug": typed}
                self.add_error("slug", message)
            elif len(slug) > max_length:
                message = _("The address “%(slug)s” is longer than %(max)s characters: shorten it.")
                self.add_error("slug", message % {"slug": slug, "max": max_length})
            else:
                data["slug"] = slug
            return
        for code in SLUG_SOURCE_LANGUAGES:
            for source in ("title", "name"):
                slug = latin_slug(data.get(f"{source}_{code}") or "", max_length)
                if slug:
                    others = type(self.instance)._default_manager.exclude(pk=self.instance.pk)
                    data["slug"] = unique_slug(others, slug, max_length)
                    return
        # Nothing to make it from: the name's own error ("fill this in in at least one language") says what to do.


class ConcurrentEditForm(SlugFromNameForm):
    """Refuses to save over changes someone else saved after this form was opened, and says what they were.

    The version the form was opened on travels in the hidden field `edited_version`, which VersionedFields puts
    into every change form and inline, whatever their fieldsets. A change posted without it is refused too: it
    cannot be checked, so it is never saved blindly.
    """

    edited_version = forms.IntegerField(
        label=gettext_lazy("version of the record when the form was opened"), widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edited_version"].initial = getattr(self.instance, "version", None)

    def clean(self):
        data = super().clean()
        if self.instance.pk is None or not hasattr(self.instance, "version"):
            return data
        edited = data.get("edited_version")
        current = type(self.instance).objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if current is None or current == edited:
            return data
        # Saving again after reading the message is a decision: it goes through.
        self.data = self.data.copy()
        self.data[self.add_prefix("edited_version")] = current
        if edited is None:
            raise ValidationError(
                _(
                    "This form was sent without the version of the record it was opened on, so it cannot be "
                    "checked against changes saved since. What you typed is kept below: check it and save again."
                ),
                code="unversioned",
            )
        raise ValidationError(self._changed_meanwhile(edited, current), code="stale")

    def _changed_meanwhile(self, edited, current):
        """The message for a stale form; the other person's changes are put into the form where this person left
        the field as it was, so that saving again keeps both changes instead of quietly undoing theirs."""
        history = getattr(self.instance, "history", None)
        then = history.filter(version=edited).order_by("-history_id").first() if history is not None else None
        now = history.filter(version=current).order_by("-history_id").first() if history is not None else None
        if then is None or now is None:
            return _("Someone else saved this record after you opened it. Check the values below and save again.")
        changed = [change.field for change in now.diff_against(then).changes if change.field != "version"]
        both = self._take_their_changes(changed, then.instance, now.instance)
        message = _(
            "%(user)s saved this record at %(time)s, after you opened it, and changed: %(fields)s. "
            "Their changes are now in the form below, beside yours; nothing has been saved yet. Check and save again."
        ) % {
            "user": now.history_user or _("someone"),
            "time": date_format(localtime(now.history_date), "Y-m-d H:i"),
            "fields": ", ".join(self._label(name) for name in changed) or _("nothing visible"),
        }
        if both:
            message += " " + _("You both changed: %(fields)s. The form shows what you typed there.") % {
                "fields": ", ".join(self._label(name) for name in both)
            }
        return message

    def _label(self, name):
        return str(self.instance._meta.get_field(name).verbose_name)

    def _take_their_changes(self, changed, then, now):
        """Put the saved value of each field the other person changed into the form, unless this person changed
        it too. Returns the fields both changed (what this person typed stays there)."""
        columns = {field.name for field in self.instance._meta.concrete_fields}
        names = [name for name in changed if name in columns and name in self.fields]
        before, after = model_to_dict(then, fields=names), model_to_dict(now, fields=names)
        both = []
        for name in names:
            field, key = self.fields[name], self.add_prefix(name)
            typed = field.widget.value_from_datadict(self.data, self.files, key)
            if field.has_changed(before[name], typed):
                both.append(name)
            else:
                self.data[key] = "" if after[name] in (None, False) else after[name]
        return both


class VersionedFields:
    """For admins and inlines of Versioned records: the form carries the version it was opened on.

    Declared fieldsets name only the model's fields, so without this the hidden `edited_version` would never be
    rendered, never posted, and the concurrent-edit check never made. Someone who may only view gets no such field.
    """

    form = ConcurrentEditForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": _without_version(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if self.has_change_permission(request, obj) and fieldsets:
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": (*options["fields"], "edited_version")})
        return fieldsets


def _without_version(fields):
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            field = tuple(_without_version(field))
        if field != "edited_version" and field != ():
            kept.append(field)
    return tuple(kept)


def _translated_originals(model):
    try:
        return set(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return set()


def _translator_readonly(model, readonly):
    """For a translator: every editable field but the translated ones (name_ky, ...; and their original `name`,
    which modeltranslation itself replaces by the language fields)."""
    editable = translated_field_names(model) | _translated_originals(model)
    return readonly + [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and getattr(field, "editable", False) and not field.auto_created
        and field.name not in editable and field.name not in readonly
    ]  # fmt: skip


class TranslatorFieldsOnly:
    """For admins and inlines: a translator changes the translated text of the records, nothing else."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return _translator_readonly(self.model, readonly) if is_translator_only(request.user) else readonly


class TranslatedAdmin(TranslatorFieldsOnly, InPageLanguage, TabbedTranslationAdmin):
    """Translation fields as tabs; roles; the concurrent-edit check; a delete page without English table names.

    `region_path` is the lookup from the model to its region ("region", "location__region"); None for records
    that belong to no region (themes, programmes), which coordinators may only view.
    """

    region_path = None
    form = SlugFromNameForm

    # -- roles
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        regions = coordinated_region_ids(request.user)
        if regions is not None and self.region_path:
            queryset = queryset.filter(**{f"{self.region_path}__in": regions})
        return queryset

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Another region's record, or none at all: the same answer, which tells nothing.
            raise Http404(_("No such record."))
        return obj

    def get_prepopulated_fields(self, request, obj=None):
        # A translator's slug is read-only: nothing to fill in from the name.
        return {} if is_translator_only(request.user) else super().get_prepopulated_fields(request, obj)

    def _scope_choices(self, db_field, request, kwargs):
        """A coordinator picks only their regions' records: the region path of the chosen model's own admin."""
        regions = coordinated_region_ids(request.user)
        try:
            path = self.admin_site.get_model_admin(db_field.related_model).region_path
        except (admin.sites.NotRegistered, AttributeError):
            path = None
        if regions is not None and path:
            queryset = kwargs.get("queryset") or db_field.related_model._default_manager.all()
            kwargs["queryset"] = queryset.filter(**{f"{path}__in": regions})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # -- deleting
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Protected records are the reason nothing can be deleted: say that, not a missing permission.
            perms_needed = set()
        return deleted, counts, perms_needed, protected


class _HistoryValues(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        # An empty value reads as a dash in every language, not as Python's "None".
        return "—" if value in (None, "") else super().prepare_delta_change_value(change, value)


class HistoryAdmin(VersionedFields, SimpleHistoryAdmin, TranslatedAdmin):
    """TranslatedAdmin with the change history: who, when, which fields, old and new values in each language;
    one row per save, and a restore named as such. Only programme managers may restore an earlier version."""

    def get_historical_record_context_helper(self, request, historical_record):
        return _HistoryValues(self.model, historical_record)

    def revert_disabled(self, request, obj=None):
        return not is_manager(request.user)

    def _in_scope(self, request, object_id):
        # simple_history would show the history of a record outside the user's regions: it is 404 there too.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404(_("No such record."))

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope(request, object_id)
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        if is_translator_only(request.user):
            # A version page is a restore form; a translator's form has no slug, which simple_history's page
            # prepopulates from the name regardless. The history list shows them every old value.
            raise PermissionDenied
        request.intymak_restoring = self.model.history.filter(pk=version_id).first()
        response = super().history_form_view(request, object_id, version_id, extra_context)
        saved = getattr(request, "intymak_saved", None)
        if saved is not None:
            self._finish_history_row(saved)
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and getattr(request, "intymak_restoring", None) is not None:
            # A restore starts from the record as it is now: its version is the current one, so that a change
            # saved while the restore page was open is noticed, and the restore counts on from it.
            current = self.model.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
            obj.version = current if current is not None else obj.version
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        restoring = getattr(request, "intymak_restoring", None)
        if restoring is not None:
            obj._change_reason = restore_reason(restoring)
        super().save_model(request, obj, form, change)
        # The history row is written; the many-to-many links saved next belong to it, not to rows of their own.
        obj.skip_history_when_saving = True
        request.intymak_saved = obj

    def save_related(self, request, form, formsets, change):
        try:
            super().save_related(request, form, formsets, change)
        finally:
            self._finish_history_row(form.instance)
            request.intymak_saved = None

    @staticmethod
    def _finish_history_row(obj):
        if hasattr(obj, "skip_history_when_saving"):
            del obj.skip_history_when_saving
            record_links(obj)


class ArchiveAdmin(HistoryAdmin):
    """Records that are archived, never deleted: they leave public view and stay in the history."""

    actions = ("archive", "restore")

    def has_delete_permission(self, request, obj=None):
        return False

    def _set_archived(self, queryset, value):
        # One by one, so that the history records who archived what.
        for obj in queryset:
            obj.archived = value
            obj.save()
        return len(queryset)

    @admin.action(description=gettext_lazy("Archive the selected records"), permissions=("change",))
    def archive(self, request, queryset):
        count = self._set_archived(queryset, True)
        messages.success(request, _("Archived: %(count)s. They have left public view.") % {"count": count})

    @admin.action(description=gettext_lazy("Restore the selected records from the archive"), permissions=("change",))
    def restore(self, request, queryset):
        count = self._set_archived(queryset, False)
        messages.success(request, _("Restored from the archive: %(count)s.") % {"count": count})
