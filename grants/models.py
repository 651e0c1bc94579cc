"""Programmes, organisations, themes, grants and their updates."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.links import slug_url
from core.models import SlugManager, Versioned
from core.translated import in_every_language, require_some_language
from locations.models import Location, Region


def _dates_in_order(start, end):
    return Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)})


def _check_dates(instance, start="start_date", end="end_date"):
    first, last = getattr(instance, start), getattr(instance, end)
    if first and last and last < first:
        raise ValidationError({end: _("The end date cannot be before the start date.")})


class Organization(Versioned):
    class Kind(models.TextChoices):
        CSO = "cso", _("civil society organisation")
        LSG = "lsg", _("local self-government body")
        DONOR = "donor", _("donor")
        PARTNER = "partner", _("partner")

    class LegalForm(models.TextChoices):
        PUBLIC_FOUNDATION = "public_foundation", _("public foundation")
        PUBLIC_ASSOCIATION = "public_association", _("public association")
        INSTITUTION = "institution", _("institution")
        LOCAL_SELF_GOVERNMENT = "local_self_government", _("local self-government body")
        INTERNATIONAL = "international_organisation", _("international organisation")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CSO)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices, blank=True)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    address = models.CharField(_("public address"), max_length=255, blank=True)
    inn = models.CharField(
        _("INN"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", _("A Kyrgyz INN has 14 digits."))],
        help_text=_("Taxpayer identification number (KG-INN), used in IATI and 360Giving exports."),
    )
    okpo = models.CharField(
        _("OKPO code"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{8,10}$", _("An OKPO code has 8 to 10 digits."))],
    )
    org_identifier = models.CharField(
        _("other organisation identifier"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2}-[A-Za-z0-9]+-\S+$", _("Use the org-id.guide form, e.g. XM-DAC-41114."))],
        help_text=_("An org-id.guide identifier such as XM-DAC-…, for organisations without a Kyrgyz INN."),
    )
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made up by generate_demo_data, not real.")
    )

    objects = SlugManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name", "slug")
        indexes = [models.Index(fields=("kind",))]
        constraints = [
            models.UniqueConstraint(
                fields=("inn",),
                condition=~Q(inn=""),
                name="organization_unique_inn",
                violation_error_message=_("Another organisation already has this INN."),
            ),
        ]

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return slug_url("grants:organization", self.slug)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        require_some_language(self, "name")

    @property
    def org_id(self):
        """The identifier IATI and 360Giving expect, or "" when none is recorded."""
        if self.org_identifier:
            return self.org_identifier
        if self.inn:
            return f"KG-INN-{self.inn}"
        if self.okpo:
            return f"KG-OKPO-{self.okpo}"
        return ""


class ProgramQuerySet(models.QuerySet):
    def current(self):
        """The programme being shown (home, about, coverage, exports): the one that started last, undated ones after
        dated ones; None when there is none."""
        return self.order_by(F("start_date").desc(nulls_last=True), "pk").first()


class Program(models.Model):
    name = models.CharField(_("name"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    funder = models.ForeignKey(
        Organization,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_programs",
    )
    implementer = models.ForeignKey(
        Organization,
        verbose_name=_("implementer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implemented_programs",
    )
    partners = models.ManyToManyField(
        Organization, verbose_name=_("partners"), blank=True, related_name="partner_programs"
    )
    target_locations = models.ManyToManyField(
        Location,
        verbose_name=_("target locations"),
        blank=True,
        related_name="target_of_programs",
        help_text=_("Where the programme works, e.g. its 25 locations. Empty: the places of its grants."),
    )

    objects = SlugManager.from_queryset(ProgramQuerySet)()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ("-start_date", "slug")
        constraints = [
            models.CheckConstraint(
                condition=_dates_in_order("start_date", "end_date"),
                name="program_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return reverse("intymak:about")

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        require_some_language(self, "name")
        _check_dates(self)


class ProgramComponent(models.Model):
    """One line of a programme's action plan, with its target where it has one."""

    class Measure(models.TextChoices):
        TRAINED_LOCATIONS = "trained_locations", _("locations trained")
        CSO_GRANTS = "cso_grants", _("grants to civil society organisations")
        LSG_GRANTS = "lsg_grants", _("small grants to local self-government bodies")
        MEDIATOR_NETWORK = "mediator_network", _("network of mediators")
        WORKING_GROUP_MEETINGS = "working_group_meetings", _("working group meetings")
        YOUTH_ENGAGEMENT = "youth_engagement", _("engagement with youth")
        COMMUNICATION_CAMPAIGN = "communication_campaign", _("communication campaign")

    program = models.ForeignKey(
        Program, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)
    target = models.PositiveIntegerField(_("target"), null=True, blank=True)
    title = models.TextField(_("title"), blank=True)

    class Meta:
        verbose_name = _("action plan component")
        verbose_name_plural = _("action plan components")
        ordering = ("program", "order")
        constraints = [
            models.UniqueConstraint(
                fields=("program", "order"),
                name="component_unique_order",
                violation_error_message=_("This programme already has a component with this number."),
            ),
        ]

    def __str__(self):
        return self.title or self.get_measure_display()

    def clean(self):
        require_some_language(self, "title")


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SlugManager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ("order", "slug")

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return reverse("grants:initiatives") + f"?theme={self.slug}"

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        require_some_language(self, "name")


def public_grants(through=""):
    """What the public sees: published grants that are not archived; `through` reaches them from another model
    (e.g. "grant__" from an update). The one place that states the rule."""
    return Q(**{f"{through}published": True, f"{through}archived": False})


# The rule for grants themselves (GrantQuerySet.published(), partial indexes, compiled into regional.py's SQL).
PUBLIC = public_grants()

# Columns of a grant that lists and cards never show: reading them makes a list slow.
LONG_GRANT_FIELDS = (
    *in_every_language("description", "targets"),
    "search_text",
    "search_vector",
)


# What grants/_card.html shows of a grant: a column it reads that is not here costs a query per card.
CARD_FIELDS = (
    "slug",
    "synthetic",
    "recipient",
    "recipient__slug",
    *in_every_language("title", "summary", "recipient__name"),
)
# And of its region, where the list shows it (show_region).
CARD_REGION_FIELDS = ("region", "region__slug", *in_every_language("region__name"))


class GrantQuerySet(models.QuerySet):
    def published(self):
        """Public: published and not archived."""
        return self.filter(PUBLIC)

    def in_region(self, region):
        return self.filter(region=region)

    def awarded(self):
        """Grants that were awarded: status awarded, active or completed (not planned, not cancelled). Money
        "awarded" is the money of these grants only."""
        return self.filter(status__in=(Grant.Status.AWARDED, Grant.Status.ACTIVE, Grant.Status.COMPLETED))

    def with_public_related(self):
        """What a list of grants shows: region, recipient and its location, locations, themes."""
        return self.select_related("region", "recipient", "program").prefetch_related(
            "themes", models.Prefetch("locations", queryset=Location.objects.select_related("region"))
        )

    def recipient_counts(self, limit):
        """(grants, organisations, busiest): how many of these grants there are, how many organisations hold them,
        and the `limit` organisations that hold the most, each with its initiative_count, by that number and then by
        name. One statement (grants/regional.py)."""
        from .regional import recipient_counts

        return recipient_counts(self, limit)

    def place_counts(self, region):
        """Every place of `region`, each with the number of these grants linked to it (initiative_count), by name in
        the page's language. One statement (grants/regional.py)."""
        from .regional import place_counts

        return place_counts(self, region)

    def for_cards(self, with_region=True):
        """What a card of a grant shows (title, summary, organisation, region) and nothing more: a page of cards
        is read from the database without the long texts, places, themes and other columns it does not show.
        with_region=False for a list of one region's grants, whose cards do not name it."""
        if not with_region:
            return self.select_related("recipient").only(*CARD_FIELDS)
        return self.select_related("region", "recipient").only(*CARD_FIELDS, *CARD_REGION_FIELDS)


class GrantManager(models.Manager.from_queryset(GrantQuerySet)):
    def get_by_natural_key(self, reference):
        return self.get(reference=reference)


class Grant(Versioned):
    class Kind(models.TextChoices):
        CSO = "cso", _("civil society organisation grant")
        LSG = "lsg", _("small grant for local self-government")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        AWARDED = "awarded", _("awarded")
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class Currency(models.TextChoices):
        KGS = "KGS", _("Kyrgyz som (KGS)")
        USD = "USD", _("US dollar (USD)")
        EUR = "EUR", _("euro (EUR)")

    program = models.ForeignKey(Program, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="grants")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.CSO)
    reference = models.CharField(
        _("reference"),
        max_length=40,
        unique=True,
        validators=[
            # No slash: IATI activity identifiers cannot contain one.
            RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", _("Use Latin letters, digits, dots and dashes."))
        ],
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    recipient = models.ForeignKey(
        Organization, verbose_name=_("recipient organisation"), on_delete=models.PROTECT, related_name="grants"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="grants")
    locations = models.ManyToManyField(Location, verbose_name=_("locations"), blank=True, related_name="grants")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="grants")
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty while the amount is not known."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    award_date = models.DateField(_("award date"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    targets = models.TextField(_("targets"), blank=True, help_text=_("One per line, e.g. “150 activists”."))
    published = models.BooleanField(_("published"), default=False, help_text=_("Only published grants are public."))
    archived = models.BooleanField(
        _("archived"), default=False, help_text=_("Archived grants leave public view; they are kept, not deleted.")
    )
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made up by generate_demo_data, not real.")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Kept up to date by grants.search (see signals.py): what the public search looks in.
    search_text = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(editable=False, null=True)

    objects = GrantManager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ("reference",)
        permissions = [("view_reports", _("Can see the reports and download the exports"))]
        # Public pages count and page through published grants; these indexes let PostgreSQL answer from the
        # index alone instead of reading the wide rows (three languages of text each).
        indexes = [
            models.Index(
                fields=("region", "reference"),
                include=("id", "recipient"),
                condition=PUBLIC,
                name="grant_public_region",
            ),
            models.Index(fields=("recipient",), condition=PUBLIC, name="grant_public_recipient"),
            models.Index(
                fields=("currency",),
                include=("amount",),
                condition=PUBLIC & Q(amount__isnull=False),
                name="grant_public_money",
            ),
            models.Index(fields=("status",)),
            models.Index(fields=("kind",)),
            models.Index(fields=("award_date",)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="grant_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""),
                name="grant_amount_has_currency",
                violation_error_message=_("Give the currency of the amount."),
            ),
            models.CheckConstraint(
                condition=_dates_in_order("start_date", "end_date"),
                name="grant_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return slug_url("grants:initiative", self.slug)

    def natural_key(self):
        return (self.reference,)

    def clean(self):
        require_some_language(self, "title")
        _check_dates(self)
        if self.amount is not None and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the amount.")})


class GrantUpdateQuerySet(models.QuerySet):
    def public(self):
        """Updates of public grants."""
        return self.filter(public_grants(through="grant__"))

    def latest_first(self):
        """Newest first, undated ones last, with the grant each belongs to (without its long texts)."""
        return (
            self.select_related("grant")
            .defer(*(f"grant__{name}" for name in LONG_GRANT_FIELDS))
            .order_by(F("date").desc(nulls_last=True), "-pk")
        )


class GrantUpdate(Versioned):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress")
        MEDIA = "media", _("media coverage")
        TRAINING = "training", _("training")
        EVENT = "event", _("event")

    grant = models.ForeignKey(Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Leave empty when the date is not known."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROGRESS)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)

    objects = GrantUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant update")
        verbose_name_plural = _("grant updates")
        ordering = (F("date").desc(nulls_last=True), "-pk")
        # PostgreSQL also has grantupdate_latest (date DESC NULLS LAST, id DESC) for the home page: see migration 0004.
        indexes = [models.Index(fields=("grant", "date"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="media") | ~Q(link=""),
                name="grantupdate_media_has_link",
                violation_error_message=_("Media coverage needs a link."),
            ),
        ]

    def __str__(self):
        return self.title or self.get_kind_display()

    def get_absolute_url(self):
        return f"{self.grant.get_absolute_url()}#update-{self.pk}"

    def clean(self):
        require_some_language(self, "title")
        if self.kind == self.Kind.MEDIA and not self.link:
            raise ValidationError({"link": _("Media coverage needs a link.")})
