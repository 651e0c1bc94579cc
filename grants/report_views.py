"""The reports page and its downloads, for donors and staff."""

from django.contrib.auth.decorators import user_passes_test
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.roles import coordinated_region_ids

from .exporters import FORMATS, export_context
from .report_chart import region_chart
from .reports import InvalidFilters, can_see_reports, report_grants, report_totals

# Anyone else is sent to sign in (as someone who may see the reports).
reports_required = user_passes_test(can_see_reports)


@never_cache
@reports_required
def reports(request):
    user = request.user
    try:
        grants, form = report_grants(
            request.GET, include_unpublished=user.is_staff, region_ids=coordinated_region_ids(user)
        )
    except InvalidFilters as error:
        return render(request, "grants/reports.html", {"form": error.form, "invalid": True}, status=400)
    totals = report_totals(grants)
    query = request.GET.urlencode()
    giving360 = FORMATS["360giving"]
    # The totals know whether any grant can go into a 360Giving file; only when none can is the reason asked for.
    giving360_unavailable = giving360.unavailable(grants) if not totals.in_360giving else None
    downloads = [
        (FORMATS["csv"], _("Grants table (CSV)")),
        (FORMATS["xlsx"], _("Workbook (XLSX): grants, totals, organisations")),
        (FORMATS["pdf"], _("Summary (PDF)")),
        (FORMATS["iati"], _("IATI activities (XML 2.03)")),
        (giving360, _("360Giving (JSON)")),
    ]
    return render(
        request,
        "grants/reports.html",
        {
            "form": form,
            "totals": totals,
            "chart": region_chart(totals),
            "downloads": [
                (item.filename, label) for item, label in downloads if not (item is giving360 and giving360_unavailable)
            ],
            "giving360_unavailable": giving360_unavailable,
            "query": query,
            "shows_unpublished": user.is_staff,
        },
    )


@never_cache
@reports_required
def report_export(request, filename):
    user = request.user
    format_ = next((item for item in FORMATS.values() if item.filename == filename), None)
    try:
        grants, form = report_grants(
            request.GET, include_unpublished=user.is_staff, region_ids=coordinated_region_ids(user)
        )
    except InvalidFilters as error:
        message = _("These filters cannot be used: %(errors)s") % {"errors": error}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    if message := format_.unavailable(grants):
        return render(
            request,
            "grants/export_unavailable.html",
            {"message": message, "filename": format_.filename, "query": request.GET.urlencode()},
            status=404,
        )
    context = export_context(grants, form, get_language())
    response = StreamingHttpResponse(format_.render(grants, context), content_type=format_.content_type)
    response["Content-Disposition"] = f'attachment; filename="{format_.filename}"'
    return response
