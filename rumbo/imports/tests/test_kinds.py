"""The import kinds besides accounts: territories, reps, assignments, catalogue, orders, targets."""

import datetime as dt
from decimal import Decimal

import pytest

from rumbo.catalog.models import Category, PriceList, PriceListItem, Product
from rumbo.core.models import User
from rumbo.customers.models import Contact
from rumbo.imports.models import ImportBatch
from rumbo.imports.tests.conftest import errors, run
from rumbo.orders.models import Order
from rumbo.targets.models import Target
from rumbo.team.models import Rep
from rumbo.territories.models import Assignment, Territory

pytestmark = pytest.mark.django_db


def test_territories_may_name_a_parent_further_down_the_file(cast):
    text = (
        "codigo,nombre,nivel,padre\n"
        "LN2,Lima Norte 2,territorio,LNX\n"
        "LNX,Lima Norte Extra,zona,LIM\n"
    )
    batch = run("territories", text, cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    child = Territory.objects.get(organisation=cast.org, code="LN2")
    assert [t.code for t in child.ancestors()] == ["PE", "LIM", "LNX"]
    assert child.path.startswith(cast.territories["lima"].path)
    assert run("territories", text, cast.admin).counts["unchanged"] == 2


def test_a_loop_of_parents_is_refused(cast):
    text = "codigo,nombre,padre\nA1,Uno,B1\nB1,Dos,A1\n"
    batch = run("territories", text, cast.admin, language="en")
    assert errors(batch) == [
        "Row 2, column padre: the rows of this file form a loop of parents.",
        "Row 3, column padre: the rows of this file form a loop of parents.",
    ]


def test_maria_grows_her_own_subtree_but_not_others(cast):
    text = "codigo,nombre,padre\nLS2,Lima Sur 2,LS\nTRU2,Trujillo 2,NOR\nTOP,Raíz,\n"
    batch = run("territories", text, cast.maria)
    assert errors(batch) == [
        "Fila 3, columna padre: el territorio 'NOR' no es suyo.",
        "Fila 4, columna padre: un territorio nuevo debe colgar de uno de los suyos.",
    ]
    ok = run("territories", "codigo,nombre,padre\nLS2,Lima Sur 2,LS\n", cast.maria)
    assert ok.status == ImportBatch.Status.IMPORTED


def test_reps_get_a_user_a_profile_and_a_manager_from_the_same_file(cast):
    text = (
        "usuario,codigo,nombres,apellidos,rol,jefe,ubigeo\n"
        "carla,V10,Carla,Quispe,vendedor,jefa,150135\n"
        "jefa,V11,Julia,Ramos,gerente,,150101\n"
        "alicia,R-alicia,Alicia,Flores,vendedor,maria,\n"
    )
    batch = run("reps", text, cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    assert (batch.counts["created"], batch.counts["updated"]) == (2, 1)
    carla = User.objects.get(username="carla")
    assert (carla.organisation, carla.role) == (cast.org, "rep")
    assert carla.manager == User.objects.get(username="jefa")
    assert carla.rep_profile.code == "V10" and carla.rep_profile.home_distrito_id == "150135"
    assert not carla.has_usable_password()
    assert User.objects.get(username="alicia").last_name == "Flores"
    assert run("reps", text, cast.admin).counts["unchanged"] == 3


def test_a_username_of_another_organisation_and_a_taken_rep_code_are_refused(cast):
    text = "usuario,codigo\nolga,V20\nnueva,R-bruno\n"
    batch = run("reps", text, cast.admin, language="en")
    assert errors(batch) == [
        "Row 2, column usuario: the username 'olga' is taken.",
        "Row 3, column codigo: rep code 'R-bruno' belongs to Bruno.",
    ]


def test_maria_may_import_reps_who_then_report_to_her_but_not_managers(cast):
    batch = run("reps", "usuario,codigo,rol\nnuevo,V30,gerente\n", cast.maria, language="en")
    assert errors(batch) == ["Row 2, column rol: only an administrator can import managers."]
    text = "usuario,codigo,nombres\nnuevo,V30,Nuevo\n"
    assert run("reps", text, cast.maria).status == ImportBatch.Status.IMPORTED
    assert User.objects.get(username="nuevo").manager == cast.maria
    again = run("reps", text.replace("Nuevo", "Nuevo Pérez"), cast.maria)
    assert again.counts["updated"] == 1, errors(again)


def test_assignments_add_coverage_and_check_roles(cast):
    text = (
        "territorio,vendedor,desde,rol\n"
        "TRU,R-bruno,2025-01-01,rep\n"
        "LN1,alicia,2025-01-01,rep\n"
        "LS1,vera,2025-01-01,rep\n"
    )
    batch = run("assignments", text, cast.admin, language="en")
    assert errors(batch) == [
        "Row 4, column rol: Vera is a Viewer and cannot be assigned as Sales rep."
    ]
    batch = run("assignments", text.rsplit("LS1", 1)[0], cast.admin)
    assert (batch.counts["created"], batch.counts["unchanged"]) == (1, 1), errors(batch)
    assert Assignment.objects.filter(
        territory=cast.territories["trujillo"], user=cast.bruno
    ).exists()


def test_products_create_their_categories_and_prices_fill_lists(cast):
    products = (
        "sku;nombre;categoria;precio;costo\n"
        "BEB-002;Agua 625 ml;Bebidas;1,20;0,50\n"
        "LAC-001;Yogur 1 l;Lácteos;6,90;4,10\n"
        "BEB-001;Gaseosa cola 500 ml;BEB;2,50;1,20\n"
    )
    batch = run("products", products, cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    assert batch.counts["created"] == 2 and batch.counts["updated"] == 1
    assert batch.report["warnings"] == ["La categoría “Lácteos” es nueva y se creará (fila 3)."]
    assert Product.objects.get(organisation=cast.org, sku="LAC-001").category.name == "Lácteos"
    assert Category.objects.filter(organisation=cast.org).count() == 3
    assert Product.objects.get(organisation=cast.org, sku="BEB-001").list_price == Decimal("2.5")
    prices = (
        "lista;canal;sku;precio\n"
        "BOD;;BEB-002;1,10\n"
        "MAY;Bodega;BEB-002;1,00\n"
        "MAY;;LAC-001;6,00\n"
        "BOD;;NOPE;1\n"
    )
    assert errors(run("price_lists", prices, cast.admin)) == [
        "Fila 5, columna sku: ningún producto tiene el código 'NOPE'."
    ]
    batch = run("price_lists", prices.rsplit("BOD;;NOPE", 1)[0], cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    new = PriceList.objects.get(organisation=cast.org, code="MAY")
    assert new.channel == cast.channel and new.currency == "PEN"
    assert PriceListItem.objects.filter(price_list__organisation=cast.org).count() == 3
    assert run("price_lists", prices.rsplit("BOD;;NOPE", 1)[0], cast.admin).counts["unchanged"] == 3


def test_a_manager_cannot_import_the_catalogue(cast):
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied before anything is stored
        run("products", "sku;nombre\nX;Y\n", cast.maria)
    assert not ImportBatch.objects.filter(user=cast.maria).exists()


def test_contacts_find_their_account_and_keep_one_main_contact(cast):
    text = (
        "cliente,nombre,cargo,principal\n"
        "C001,Rosa Pérez,Dueña,sí\n"
        "C001,Luis Pérez,,no\n"
        "C404,Nadie,,\n"
    )
    batch = run("contacts", text, cast.admin)
    assert errors(batch) == ["Fila 4, columna cliente: ninguna cuenta tiene el código 'C404'."]
    batch = run("contacts", text.rsplit("C404", 1)[0], cast.admin)
    assert batch.counts["created"] == 2, errors(batch)
    assert (
        Contact.objects.get(account=cast.accounts["alicia_1"], is_primary=True).name == "Rosa Pérez"
    )
    changed = text.rsplit("C404", 1)[0].replace("Dueña", "Gerente")
    assert run("contacts", changed, cast.admin).counts["updated"] == 1


ORDERS = (
    "pedido;fecha;cliente;vendedor;producto;cantidad;precio;descuento\n"
    "F-1;15/03/2024;C001;R-alicia;BEB-001;10;2,00;0\n"
    "F-1;15/03/2024;C001;R-alicia;SNK-001;4;1,50;10\n"
    "F-2;2024-03-20;C003;bruno;BEB-001;1;2,10;\n"
)


def test_order_lines_are_grouped_into_orders_with_the_files_prices(cast):
    batch = run("orders", ORDERS, cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    assert batch.counts["created"] == 2
    order = Order.objects.get(organisation=cast.org, external_code="F-1")
    assert (order.rep, order.status, order.source) == (cast.alicia, "delivered", "import")
    assert order.net_amount == Decimal("20.00") + Decimal("6.00") - Decimal("0.60")
    assert order.ordered_on == dt.date(2024, 3, 15) and order.lines.count() == 2
    assert run("orders", ORDERS, cast.admin).counts["unchanged"] == 2


def test_an_order_whose_lines_disagree_or_that_changed_is_refused(cast):
    run("orders", ORDERS, cast.admin)
    text = ORDERS.replace(
        "F-2;2024-03-20;C003;bruno;BEB-001;1", "F-2;2024-03-20;C003;bruno;BEB-001;3"
    )
    text += "F-3;2024-03-21;C001;;BEB-001;1;2;\nF-3;2024-03-22;C001;;BEB-001;1;2;\n"
    batch = run("orders", text, cast.admin, language="en")
    assert errors(batch) == [
        "Row 4, column pedido: this order was imported before with other lines, date or account;"
        " Rumbo does not rewrite orders.",
        "Row 6, column fecha: row 5 of this order says otherwise.",
    ]


def with_status(first: str, second: str) -> str:
    """ORDERS with a status column: `first` for order F-1, `second` for F-2."""
    lines = ORDERS.splitlines()
    statuses = ["estado", first, first, second]
    return "".join(f"{line};{status}\n" for line, status in zip(lines, statuses, strict=True))


def test_a_new_status_moves_an_imported_order_on(cast):
    run("orders", with_status("confirmado", "confirmado"), cast.admin)
    assert Order.objects.get(external_code="F-1").status == "confirmed"
    batch = run("orders", with_status("entregado", "confirmado"), cast.admin)
    assert (batch.counts["updated"], batch.counts["unchanged"]) == (1, 1), errors(batch)
    assert Order.objects.get(external_code="F-1").status == "delivered"


def test_bruno_s_manager_imports_orders_only_for_her_accounts(cast):
    text = ORDERS + "F-9;2024-03-20;C005;;BEB-001;1;2;\n"
    batch = run("orders", text, cast.maria, language="en")
    assert errors(batch) == ["Row 5, column cliente: this account is not in your territories."]


def test_targets_in_the_wide_layout_with_a_scale(cast):
    text = "Territorio;Año;Ene;Feb;Mar\nLN1;2025;10;12,5;-\nLS1;2025;8;;9\n"
    batch = run("targets", text, cast.admin, mapping={
        "territory": "Territorio", "year": "Año", "options": {"layout": "wide", "scale": "1000"},
    })  # fmt: skip
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    found = {
        (t.territory and t.territory.code, t.month.month): t.value
        for t in Target.objects.filter(organisation=cast.org)
    }
    assert found == {("LN1", 1): 10000, ("LN1", 2): 12500, ("LS1", 1): 8000, ("LS1", 3): 9000}


def test_the_wide_layout_is_recognised_by_its_month_columns(cast):
    text = "Vendedor;Year;M01;M02\nR-alicia;2025;100;x\n"
    batch = run("targets", text, cast.admin, language="en")
    assert batch.mapping["options"]["layout"] == "wide"
    assert errors(batch) == ["Row 2, column M02: 'x' is not a number."]


def test_targets_in_the_long_layout_for_reps_and_categories(cast):
    text = (
        "vendedor,mes,medida,categoria,meta\n"
        "R-alicia,2025-03,monto,,1500\n"
        "R-alicia,2025-03,unidades,Bebidas,300\n"
        "bruno,03/2025,monto,,900\n"
        "R-alicia,2025-03,monto,,1\n"
    )
    batch = run("targets", text, cast.admin, language="en")
    assert errors(batch) == ["Row 5, column meta: repeats row 2 of this file."]
    batch = run("targets", text.rsplit("R-alicia,2025-03,monto,,1\n", 1)[0], cast.admin)
    assert batch.counts["created"] == 3, errors(batch)
    assert Target.objects.get(rep=cast.alicia, measure="units").category == cast.catalog["drinks"]
    assert Rep.objects.filter(organisation=cast.org).count() == 2
