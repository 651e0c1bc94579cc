"""Regions and locations, and which regions a regional coordinator looks after."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.links import slug_url
from core.models import SlugManager, Versioned, choice_label
from core.translated import require_some_language


class RegionQuerySet(models.QuerySet):
    def without_shapes(self):
        """Regions for names, links and counts: without the boundary and the map outline, which only the map draws."""
        return self.defer("boundary", "map_path")


class Region(models.Model):
    class Kind(models.TextChoices):
        OBLAST = "oblast", _("region (oblast)")
        CITY = "city", _("city of republican significance")

    name = models.CharField(_("name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Latin letters, used in addresses."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OBLAST)
    coate = models.CharField(
        _("COATE code"),
        max_length=14,
        unique=True,
        validators=[RegexValidator(r"^417\d{11}$", _("A COATE code of a region has 14 digits and starts with 417."))],
        help_text=_("State classifier of administrative units (СОАТЕ), e.g. 41702000000000."),
    )
    iso_code = models.CharField(
        _("ISO 3166-2 code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^KG-[A-Z]{1,2}$", _("An ISO 3166-2 code of Kyrgyzstan looks like KG-C."))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    map_path = models.TextField(
        _("map outline"),
        blank=True,
        editable=False,
        help_text=_("The boundary projected to the home page map's SVG coordinates, made by load_boundaries."),
    )
    # Where the home page map puts the region's name, made by load_boundaries with the outline.
    map_label_x = models.FloatField(_("map label x"), null=True, blank=True, editable=False)
    map_label_y = models.FloatField(_("map label y"), null=True, blank=True, editable=False)
    map_label_room = models.FloatField(
        _("map label room"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The distance from the label's point to the outline, in map units: a region with little room is "
            "labelled beside it."
        ),
    )
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("GeoJSON geometry (longitude, latitude), loaded with the load_boundaries command."),
    )

    objects = SlugManager.from_queryset(RegionQuerySet)()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ("order", "slug")

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return slug_url("intymak:region", self.slug)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        require_some_language(self, "name")

    @property
    def pcode(self):
        """OCHA's P-code for an oblast-level unit, derived from COATE: 41702... -> KG02000000000."""
        return f"KG{self.coate[3:5]}000000000"


class LocationQuerySet(models.QuerySet):
    def in_region(self, region):
        return self.filter(region=region)


class Location(Versioned):
    class Kind(models.TextChoices):
        CITY = "city", _("city")
        TOWN = "town", _("town")
        VILLAGE = "village", _("village")
        AIYL_AIMAK = "aiyl_aimak", _("aiyl aimak")
        DISTRICT = "district", _("district")

    name = models.CharField(_("name"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="locations")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("For example the district a village belongs to."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made up by generate_demo_data, not real.")
    )

    objects = SlugManager.from_queryset(LocationQuerySet)()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ("region__order", "name", "slug")
        indexes = [models.Index(fields=("region", "kind"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="location_not_own_parent",
                violation_error_message=_("A location cannot be part of itself."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_pair",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    def __str__(self):
        return f"{self.name or self.slug} ({self.kind_label})"

    @property
    def kind_label(self):
        return choice_label(self.Kind, self.kind)

    def get_absolute_url(self):
        return f"{self.region.get_absolute_url()}#location-{self.slug}"

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        require_some_language(self, "name")
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("A location cannot be part of itself.")})
            if self.region_id and self.parent.region_id != self.region_id:
                raise ValidationError({"parent": _("The larger location must be in the same region.")})


class RegionCoordinator(models.Model):
    """A regional coordinator edits the records of the regions assigned to them, and sees no others to change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="coordinated_regions"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="coordinators")

    class Meta:
        verbose_name = _("region of a coordinator")
        verbose_name_plural = _("regions of a coordinator")
        ordering = ("user", "region__order")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "region"),
                name="regioncoordinator_unique",
                violation_error_message=_("This region is already assigned to this person."),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.region}"
