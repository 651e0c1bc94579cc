"""The staff export of the mediator registry, private contact details included (CSV and XLSX)."""

from django.utils import translation
from django.utils.translation import gettext as _

from grants.exporters.base import Table, csv_stream, file_chunks, xlsx_file

from .models import Mediator, Training


def _registry_table(region_ids=None):
    mediators = (
        Mediator.objects.all() if region_ids is None else Mediator.objects.filter(location__region__in=region_ids)
    )
    mediators = (
        mediators.select_related("location__region", "mentor")
        .prefetch_related("languages", "specialisations", "trainings")
        .order_by("name", "pk")
    )
    certifications = dict(Mediator.Certification.choices)

    def rows():
        for mediator in mediators.iterator(chunk_size=500):
            yield [
                mediator.name,
                mediator.slug,
                mediator.location.name if mediator.location else "",
                mediator.location.region.name if mediator.location else "",
                ", ".join(language.name for language in mediator.languages.all()),
                ", ".join(specialisation.name for specialisation in mediator.specialisations.all()),
                str(certifications.get(mediator.certification, "")),
                mediator.certified_on,
                mediator.mentor.name if mediator.mentor else "",
                len(mediator.trainings.all()),
                mediator.phone,
                mediator.email,
                mediator.address,
                _("yes") if mediator.public_consent else _("no"),
                mediator.consent_date,
                _("yes") if mediator.synthetic else "",
            ]

    headers = [
        _("Name"), _("Slug"), _("Location"), _("Region"), _("Languages"), _("Specialisations"), _("Certification"),
        _("Certified on"), _("Mentor"), _("Trainings attended"), _("Phone (private)"), _("E-mail (private)"),
        _("Address (private)"), _("Public consent"), _("Consent recorded on"), _("Synthetic"),
    ]  # fmt: skip
    return Table(_("Mediators"), headers, rows(), widths=(30, 20, 20, 20, 20, 24, 16, 12, 30, 10, 18, 26, 30, 10, 12))


def _trainings_table(region_ids=None):
    kinds = dict(Training.Kind.choices)
    trainings = (
        Training.objects.all() if region_ids is None else Training.objects.filter(location__region__in=region_ids)
    )
    trainings = trainings.select_related("location").prefetch_related("participants").order_by("-date")
    rows = (
        [
            training.title,
            str(kinds.get(training.kind, "")),
            training.date,
            training.end_date,
            training.location.name if training.location else "",
            training.participant_count,
            ", ".join(mediator.name for mediator in training.participants.all()),
        ]
        for training in trainings.iterator(chunk_size=500)
    )
    headers = [_("Title"), _("Kind"), _("Date"), _("End date"), _("Location"), _("Number of participants"),
               _("Mediators who attended")]  # fmt: skip
    return Table(_("Trainings and meetings"), headers, rows, widths=(40, 24, 12, 12, 20, 10, 60))


def registry_csv(language, region_ids=None):
    with translation.override(language):
        yield from csv_stream(_registry_table(region_ids))


def registry_xlsx(language, region_ids=None):
    with translation.override(language):
        workbook = xlsx_file([_registry_table(region_ids), _trainings_table(region_ids)])
    yield from file_chunks(workbook)
