"""Kyrgyz dates as Kyrgyz writes them: "12-август 2022-ж.", the month in lower case, on every page that shows a
date in words (public pages, the admin, the PDF summary)."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from grants.models import Program
from tests import factories

pytestmark = pytest.mark.django_db

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
          "декабрь")  # fmt: skip
CAPITALISED_MONTH = re.compile(r"\b(?:" + "|".join(month.capitalize() for month in MONTHS) + r")\b")
KYRGYZ_DATE = re.compile(r"\b\d{1,2}-(?:" + "|".join(MONTHS) + r") \d{4}-ж\.")
AUGUST_12 = datetime.date(2022, 8, 12)


def _url(name, *args, language="ky"):
    with translation.override(language):
        return reverse(name, args=args)


def _text(response):
    assert response.status_code == 200
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_public_pages_write_dates_in_kyrgyz(client):
    update = factories.GrantUpdateFactory(date=AUGUST_12)
    grant = update.grant
    grant.start_date, grant.end_date = datetime.date(2021, 4, 1), datetime.date(2022, 9, 30)
    grant.save()
    training = factories.TrainingFactory(date=datetime.date(2022, 3, 5), location=grant.recipient.location)
    mediator = factories.MediatorFactory(location=grant.recipient.location)
    training.participants.add(mediator)
    pages = {
        "initiative": _text(client.get(grant.get_absolute_url())),
        "home": _text(client.get(_url("intymak:home"))),
        "region": _text(client.get(_url("intymak:region", grant.region.slug))),
        "mediator": _text(client.get(mediator.get_absolute_url())),
    }
    assert "· 12-август 2022-ж." in pages["initiative"]  # the update
    assert "1-апрель 2021-ж. – 30-сентябрь 2022-ж." in pages["initiative"]  # the grant's dates
    assert "12-август 2022-ж." in pages["home"]  # the latest updates
    assert "5-март 2022-ж." in pages["region"] and "5-март 2022-ж." in pages["mediator"]  # trainings
    for name, text in pages.items():
        assert not CAPITALISED_MONTH.search(text), (name, CAPITALISED_MONTH.search(text))


def test_the_programme_runs_from_a_month_to_a_month_in_kyrgyz_order(client):
    Program.objects.all().delete()
    factories.ProgramFactory(start_date=datetime.date(2021, 4, 1), end_date=datetime.date(2022, 9, 30))
    text = _text(client.get(_url("intymak:about")))
    assert "2021-ж. апрель – 2022-ж. сентябрь" in text
    # Russian and English keep their own order.
    assert "April 2021 – September 2022" in _text(client.get(_url("intymak:about", language="en")))


def test_admin_lists_and_history_write_dates_in_kyrgyz(admin_client):
    training = factories.TrainingFactory(date=AUGUST_12)
    listing = _text(admin_client.get(_url("admin:mediators_training_changelist")))
    assert "12-август 2022-ж." in listing
    # A date and time: when a record was changed, in its history.
    history = _text(admin_client.get(_url("admin:mediators_training_history", training.pk)))
    assert re.search(KYRGYZ_DATE.pattern + r" \d{1,2}:\d{2}", history), history
    for text in (listing, history):
        assert not CAPITALISED_MONTH.search(text), CAPITALISED_MONTH.search(text)


def test_the_pdf_summary_is_dated_in_kyrgyz(donor_client, newsletter):
    response = donor_client.get("/ky/reports/summary.pdf")
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert KYRGYZ_DATE.search(text), text[:300]
    assert not CAPITALISED_MONTH.search(text)
