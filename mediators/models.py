"""The national network of mediators and the trainings they attend."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.links import slug_url
from core.models import SlugManager, Versioned, choice_label
from core.translated import in_every_language, require_some_language
from locations.models import Location


class Language(models.Model):
    """A language a mediator works in (ISO 639-1 code)."""

    code = models.SlugField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Manager(models.Manager):
        def get_by_natural_key(self, code):
            return self.get(code=code)

    objects = Manager()

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ("code",)

    def __str__(self):
        return self.name or self.code

    def natural_key(self):
        return (self.code,)

    def clean(self):
        require_some_language(self, "name")


class Specialisation(models.Model):
    name = models.CharField(_("name"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    objects = SlugManager()

    class Meta:
        verbose_name = _("specialisation")
        verbose_name_plural = _("specialisations")
        ordering = ("slug",)

    def __str__(self):
        return self.name or self.slug

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        require_some_language(self, "name")


class PlacedQuerySet(models.QuerySet):
    """Records with a location: those of a region are those of its places."""

    def in_region(self, region):
        return self.filter(location__region=region)


class MediatorQuerySet(PlacedQuerySet):
    def public(self):
        """Only mediators who consented to be listed, and are not archived, are ever public."""
        return self.filter(public_consent=True, archived=False)

    def coverage_counts(self, programme, region=None):
        """The programme's target locations (those recorded for it, or if it records none, the places of its public
        grants), of `region` or of the whole country, each with n_trained (mediators there who attended a mediation or
        conflict-prevention training), n_certified, n_mentors (mediators there who mentor someone) and n_trainings
        (held there), counting every mediator, listed or not. One statement (mediators/network.py)."""
        from .network import coverage_counts

        return coverage_counts(programme, region)

    def for_cards(self, with_places=True):
        """What mediators/_card.html shows (name, place, certification) and nothing more: a list never reads anyone's
        contacts or biography. with_places=False where the page has read the places already (a region page)."""
        if not with_places:
            return self.only(*CARD_FIELDS)
        return self.select_related("location").only(*CARD_FIELDS, *in_every_language("location__name"))


# What mediators/_card.html shows of a mediator, its place's name aside: a column it reads that is not here costs a
# query per card.
CARD_FIELDS = ("slug", "certification", "synthetic", "location", *in_every_language("name"))


class Mediator(Versioned):
    class Certification(models.TextChoices):
        NONE = "none", _("not certified")
        IN_TRAINING = "in_training", _("in training")
        CERTIFIED = "certified", _("certified")

    name = models.CharField(_("name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediators",
    )
    languages = models.ManyToManyField(Language, verbose_name=_("languages spoken"), blank=True)
    specialisations = models.ManyToManyField(Specialisation, verbose_name=_("specialisations"), blank=True)
    mentor = models.ForeignKey(
        "self",
        verbose_name=_("mentor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentees",
    )
    certification = models.CharField(
        _("certification"), max_length=12, choices=Certification.choices, default=Certification.NONE
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    biography = models.TextField(_("biography"), blank=True)
    # Private: never shown on a public page or in a donor's export.
    phone = models.CharField(_("phone (private)"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail (private)"), blank=True)
    address = models.CharField(_("address (private)"), max_length=255, blank=True)
    public_consent = models.BooleanField(
        _("consents to a public listing"),
        default=False,
        help_text=_("Without recorded consent the mediator never appears on public pages."),
    )
    consent_date = models.DateField(_("consent recorded on"), null=True, blank=True)
    archived = models.BooleanField(
        _("archived"), default=False, help_text=_("Archived mediators leave public view; they are kept, not deleted.")
    )
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made up by generate_demo_data, not real.")
    )

    objects = SlugManager.from_queryset(MediatorQuerySet)()

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ("name", "slug")
        indexes = [models.Index(fields=("public_consent", "location"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("pk")),
                name="mediator_not_own_mentor",
                violation_error_message=_("A mediator cannot be their own mentor."),
            ),
        ]

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return slug_url("mediators:detail", self.slug)

    @property
    def certification_label(self):
        return choice_label(self.Certification, self.certification)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        require_some_language(self, "name")
        if self.mentor_id and self.pk and self.mentor_id == self.pk:
            raise ValidationError({"mentor": _("A mediator cannot be their own mentor.")})
        # Walk up the mentor chain: reaching this mediator again would make a cycle.
        seen = {self.pk}
        mentor = self.mentor
        while mentor is not None:
            if mentor.pk in seen:
                message = _("This choice makes a mentorship cycle: %(name)s is already mentored by this mediator.")
                raise ValidationError({"mentor": message % {"name": self.mentor}})
            seen.add(mentor.pk)
            mentor = mentor.mentor


class TrainingQuerySet(PlacedQuerySet):
    def for_lists(self, with_places=True):
        """What a list of trainings shows (title, kind, date, place, participants): not their descriptions.
        with_places=False where the page has read the places already (a region page)."""
        trainings = self.defer(*in_every_language("description"))
        return trainings.select_related("location") if with_places else trainings


class Training(Versioned):
    class Kind(models.TextChoices):
        MEDIATION = "mediation", _("mediation training")
        CONFLICT_PREVENTION = "conflict_prevention", _("conflict-prevention training")
        WORKING_GROUP = "working_group", _("working group meeting")
        OTHER = "other", _("other event")

    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEDIATION)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
    )
    participants = models.ManyToManyField(
        Mediator, verbose_name=_("mediators who attended"), blank=True, related_name="trainings"
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True, help_text=_("Everyone who attended, not only mediators.")
    )
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made up by generate_demo_data, not real.")
    )

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training or meeting")
        verbose_name_plural = _("trainings and meetings")
        ordering = ("-date", "pk")
        indexes = [models.Index(fields=("kind", "date"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="training_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.title or f"{self.kind_label} {self.date}"

    @property
    def kind_label(self):
        return choice_label(self.Kind, self.kind)

    def get_absolute_url(self):
        if self.location_id:
            return self.location.region.get_absolute_url()
        return reverse("intymak:about")

    def clean(self):
        require_some_language(self, "title")
        if self.date and self.end_date and self.end_date < self.date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
