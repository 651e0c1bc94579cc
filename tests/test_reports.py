"""The reports page and the CSV/XLSX exports: who sees them, what they contain, bad filters."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from grants.models import Grant
from grants.reports import report_grants, report_totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def money(newsletter):
    """Three grants with amounts in two currencies and award dates; one unpublished grant."""
    amounts = {"LIP-CSO-01": ("1000.00", "KGS"), "LIP-CSO-02": ("2500.00", "KGS"), "LIP-CSO-05": ("300.00", "USD")}
    for reference, (amount, currency) in amounts.items():
        Grant.objects.filter(reference=reference).update(
            amount=Decimal(amount), currency=currency, award_date="2021-12-01"
        )
    Grant.objects.filter(reference="LIP-CSO-25").update(published=False)


def _csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for path in ("/en/reports/", "/en/reports/grants.csv", "/en/reports/iati.xml"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=")


def test_signed_in_people_without_the_donor_role_are_sent_to_sign_in(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_user("someone", password="a-long-test-password-42"))
    assert client.get("/en/reports/").status_code == 302
    page = client.get("/en/accounts/login/?next=/en/reports/")
    assert "Your account cannot open this page." in page.content.decode()


def test_the_sign_in_page_speaks_the_visitors_language(client, db):
    html = client.get("/ky/accounts/login/").content.decode()
    assert "Кирүү" in html or "кирүү" in html


def test_donors_and_staff_reach_the_reports_but_donors_cannot_change_anything(donor_client, admin_client, donor):
    assert donor_client.get("/en/reports/").status_code == 200
    assert admin_client.get("/en/reports/").status_code == 200
    assert not donor.is_staff
    assert donor_client.get("/en/admin/").status_code == 302  # the admin is not theirs


def test_unpublished_grants_appear_to_staff_only(donor_client, admin_client, money):
    donor_rows = _csv(donor_client.get("/en/reports/grants.csv"))
    staff_rows = _csv(admin_client.get("/en/reports/grants.csv"))
    assert len(donor_rows) == 1 + 24
    assert len(staff_rows) == 1 + 25
    assert "LIP-CSO-25" not in {row[0] for row in donor_rows}


def test_reports_page_shows_totals_per_region_and_currency_never_summed_across(donor_client, money):
    response = donor_client.get("/en/reports/")
    html = response.content.decode()
    totals = response.context["totals"]
    assert totals.grants == 24
    assert totals.by_currency == {
        "KGS": {"grants": 2, "amount": Decimal("3500.00")},
        "USD": {"grants": 1, "amount": Decimal("300.00")},
    }
    chui = next(item for item in totals.by_region if item.region.slug == "chui")
    assert chui.grants == 4 and chui.money == {"KGS": Decimal("3500.00")}
    assert "3,500.00 KGS" in html and "300.00 USD" in html
    assert "3,800" not in html
    assert dict((str(label), n) for label, n in totals.by_kind)["civil society organisation grant"] == 24
    assert "21 grants are left out of the 360Giving file" in html


def test_filters_narrow_the_page_and_every_download_link_carries_them(donor_client, money):
    response = donor_client.get("/en/reports/", {"region": "chui", "award_from": "2021-11-01"})
    assert response.context["totals"].grants == 2
    html = response.content.decode()
    for filename in ("grants.csv", "grants.xlsx", "summary.pdf", "iati.xml", "360giving.json"):
        assert f"/en/reports/{filename}?region=chui&amp;award_from=2021-11-01" in html


@pytest.mark.parametrize(
    "params",
    [{"award_from": "not-a-date"}, {"region": "nowhere"}, {"award_from": "2022-02-01", "award_to": "2022-01-01"}],
)
def test_malformed_filters_give_a_clear_400(donor_client, newsletter, params):
    page = donor_client.get("/ru/reports/", params)
    assert page.status_code == 400
    assert "Эти фильтры нельзя применить" in page.content.decode()
    download = donor_client.get("/ru/reports/grants.csv", params)
    assert download.status_code == 400
    assert download.content.decode().startswith("Эти фильтры нельзя применить")


def test_csv_has_one_row_per_grant_in_the_page_language(donor_client, money):
    rows = _csv(donor_client.get("/ru/reports/grants.csv", {"region": "chui"}))
    header, *grants = rows
    assert header[:4] == ["Регистрационный номер", "Название", "Вид", "Статус"]
    assert header[-1] == "Публичный адрес"
    first = grants[0]
    assert first[0] == "LIP-CSO-01" and first[1] == "Во имя единства"
    assert first[4] == "Общество Корнелиуса" and first[5] == "общественный фонд" and first[6] == "Чуйская область"
    assert first[7] == "Токмок"
    assert first[9:12] == ["1000.00", "KGS", "2021-12-01"]
    assert first[-1] == "http://127.0.0.1:8000/ru/initiatives/in-the-name-of-unity/"
    assert len(grants) == 4


def test_cells_a_spreadsheet_would_run_are_neutralised(donor_client, newsletter):
    Grant.objects.filter(reference="LIP-CSO-01").update(title_en='=HYPERLINK("http://evil.example","x")')
    Grant.objects.filter(reference="LIP-CSO-02").update(title_en="+1+1")
    Grant.objects.filter(reference="LIP-CSO-03").update(title_en="@SUM(A1)")
    Grant.objects.filter(reference="LIP-CSO-04").update(title_en="-2+3")
    titles = [row[1] for row in _csv(donor_client.get("/en/reports/grants.csv"))[1:5]]
    assert titles == ['\'=HYPERLINK("http://evil.example","x")', "'+1+1", "'@SUM(A1)", "'-2+3"]
    workbook = load_workbook(io.BytesIO(b"".join(donor_client.get("/en/reports/grants.xlsx").streaming_content)))
    cells = [workbook["Grants"].cell(row=row, column=2) for row in range(2, 6)]
    assert [cell.data_type for cell in cells] == ["s"] * 4  # text, never a formula
    assert cells[0].value == '=HYPERLINK("http://evil.example","x")'


def test_empty_results_give_files_with_headers_only(donor_client, newsletter):
    rows = _csv(donor_client.get("/en/reports/grants.csv", {"region": "bishkek"}))
    assert len(rows) == 1 and rows[0][0] == "Reference"
    workbook = load_workbook(
        io.BytesIO(b"".join(donor_client.get("/en/reports/grants.xlsx", {"region": "bishkek"}).streaming_content))
    )
    assert workbook["Grants"].max_row == 1
    assert workbook["Totals by region"].max_row == 10  # the header and every region, each with 0


def test_xlsx_has_typed_cells_frozen_headers_and_filters(donor_client, money):
    data = b"".join(donor_client.get("/ky/reports/grants.xlsx").streaming_content)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Гранттар", "Аймактар боюнча жыйынтык", "Темалар боюнча жыйынтык", "Уюмдар"]
    grants = workbook["Гранттар"]
    assert grants.freeze_panes == "A2"
    assert grants.auto_filter.ref == "A1:P25"
    first = [cell.value for cell in grants[2]]
    assert first[0] == "LIP-CSO-01" and first[1] == "Биримдик үчүн"
    assert grants.cell(row=2, column=10).data_type == "n" and first[9] == 1000 and first[10] == "KGS"
    assert first[11].date().isoformat() == "2021-12-01"
    regions = {row[0]: row[1:] for row in workbook["Аймактар боюнча жыйынтык"].iter_rows(min_row=2, values_only=True)}
    assert regions["Чүй облусу"] == (4, 3500, None)
    assert regions["Ысык-Көл облусу"] == (2, None, 300)
    organisations = workbook["Уюмдар"]
    assert organisations.max_row == 1 + 24


def test_totals_agree_between_the_page_and_the_spreadsheets(donor_client, money):
    page = donor_client.get("/en/reports/").context["totals"]
    rows = _csv(donor_client.get("/en/reports/grants.csv"))[1:]
    sums = {}
    for row in rows:
        if row[9]:
            sums[row[10]] = sums.get(row[10], Decimal(0)) + Decimal(row[9])
    assert len(rows) == page.grants
    assert sums == {currency: item["amount"] for currency, item in page.by_currency.items()}
    workbook = load_workbook(io.BytesIO(b"".join(donor_client.get("/en/reports/grants.xlsx").streaming_content)))
    region_rows = list(workbook["Totals by region"].iter_rows(min_row=2, values_only=True))
    assert sum(row[1] for row in region_rows) == page.grants
    assert sum(row[2] or 0 for row in region_rows) == page.by_currency["KGS"]["amount"]


def test_report_functions_agree_with_the_database(money):
    grants, _form = report_grants({"kind": "cso"})
    totals = report_totals(grants)
    assert totals.grants == Grant.objects.filter(published=True, kind="cso").count()


def test_export_grants_command_writes_the_same_file_with_the_same_filters(money, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    target = tmp_path / "chui.csv"
    call_command("export_grants", format="csv", output=str(target), region="chui", language="en")
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Reference" and len(rows) == 1 + 4
    assert "4 grants written" in capsys.readouterr().err
    call_command("export_grants", format="xlsx", output=str(tmp_path / "all.xlsx"), include_unpublished=True)
    assert load_workbook(tmp_path / "all.xlsx")["Гранттар"].max_row == 1 + 25
    with pytest.raises(CommandError, match="These filters cannot be used"):
        call_command("export_grants", format="csv", output=str(tmp_path / "x.csv"), award_from="someday")


def test_money_awarded_leaves_out_planned_and_cancelled_grants_and_the_page_shows_money_per_status(donor_client, money):
    Grant.objects.filter(reference="LIP-CSO-02").update(status=Grant.Status.CANCELLED)  # 2,500 KGS
    Grant.objects.filter(reference="LIP-CSO-03").update(status=Grant.Status.PLANNED, amount=Decimal("700.00"),
                                                        currency="KGS")  # fmt: skip
    Grant.objects.filter(reference="LIP-CSO-04").update(status=Grant.Status.COMPLETED, amount=Decimal("50.00"),
                                                        currency="USD")  # fmt: skip
    response = donor_client.get("/en/reports/")
    totals = response.context["totals"]
    assert totals.grants == 24 and totals.awarded == 22
    assert totals.by_currency == {
        "KGS": {"grants": 1, "amount": Decimal("1000.00")},
        "USD": {"grants": 2, "amount": Decimal("350.00")},
    }
    chui = next(item for item in totals.by_region if item.region.slug == "chui")
    assert chui.grants == 4 and chui.money == {"KGS": Decimal("1000.00"), "USD": Decimal("50.00")}
    html = response.content.decode()
    assert "1,000.00 KGS" in html and "350.00 USD" in html
    assert "The sums are for 3 of 22 awarded grants: the other amounts are not known." in html
    # Money per status: every status, its grants, those without a known amount and its money in each currency.
    rows = {item.status: (item.grants, item.without_amount, item.amounts, item.awarded) for item in totals.by_status}
    assert totals.status_currencies == ["KGS", "USD"]
    assert rows == {
        "planned": (1, 0, [Decimal("700.00"), None], False),
        "awarded": (0, 0, [None, None], False),  # no grant has it here: nothing to count
        "active": (21, 19, [Decimal("1000.00"), Decimal("300.00")], True),
        "completed": (1, 0, [None, Decimal("50.00")], True),
        "cancelled": (1, 0, [Decimal("2500.00"), None], False),
    }
    table = html.split("Grants and money per status</caption>")[1].split("</table>")[0]
    assert "cancelled</th><td>1</td><td>0</td><td>2,500.00</td><td>—</td>" in " ".join(table.split())
    assert "active <span" in table and "(counted as awarded)" in table
    assert "cancelled <span" not in table


def test_the_workbook_totals_count_money_awarded(donor_client, money):
    Grant.objects.filter(reference="LIP-CSO-02").update(status=Grant.Status.CANCELLED)
    workbook = load_workbook(io.BytesIO(b"".join(donor_client.get("/en/reports/grants.xlsx").streaming_content)))
    sheet = workbook["Totals by region"]
    assert [cell.value for cell in sheet[1]] == ["Region", "Initiatives", "Awarded, KGS", "Awarded, USD"]
    regions = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert regions["Chui region"] == (4, 1000, None)


def test_export_grants_reports_what_it_wrote(money, tmp_path, capsys):
    from django.core.management import call_command

    Grant.objects.filter(reference="LIP-CSO-05").update(status=Grant.Status.CANCELLED)
    for name, expected in (("csv", 24), ("xlsx", 24), ("pdf", 24), ("iati", 24), ("360giving", 2)):
        call_command("export_grants", format=name, output=str(tmp_path / f"grants.{name}"), language="en")
        err = capsys.readouterr().err
        assert f"{expected} grants written to {tmp_path / f'grants.{name}'}" in err
    assert "22 grants left out:\n  not awarded (planned or cancelled): 1 (LIP-CSO-05)\n" in err
    assert "  no amount or currency: 21 (LIP-CSO-03, LIP-CSO-04," in err
