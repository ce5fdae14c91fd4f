import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_promotions"),
        ("core", "0002_table_version"),
        ("customers", "0002_account_status_cover"),
        ("orders", "0003_order_writing"),
        ("territories", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The foreign keys' own indexes go, and nothing else: the composite indexes that start
        # with the same columns serve them (Django would rebuild the tables on SQLite and
        # drop and check again every foreign key on PostgreSQL to do the same).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="monthlycategorysales",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="customers.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlycategorysales",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlycategorysales",
                    name="territory",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="territories.territory",
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlysales",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="monthly_sales",
                        to="customers.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlysales",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlysales",
                    name="rep",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlysales",
                    name="territory",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="territories.territory",
                    ),
                ),
                migrations.AlterField(
                    model_name="order",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="orders",
                        to="customers.account",
                        verbose_name="account",
                    ),
                ),
                migrations.AlterField(
                    model_name="order",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="orders",
                        to="core.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="order",
                    name="rep",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="orders",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="rep",
                    ),
                ),
                migrations.AlterField(
                    model_name="orderline",
                    name="promotion",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.promotion",
                        verbose_name="promotion",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_monthlycategorysales_account_id_14aa09ce"',
                    reverse_sql='CREATE INDEX "orders_monthlycategorysales_account_id_14aa09ce" ON "orders_monthlycategorysales" ("account_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_monthlycategorysales_organisation_id_86be4b53"',
                    reverse_sql='CREATE INDEX "orders_monthlycategorysales_organisation_id_86be4b53" ON "orders_monthlycategorysales" ("organisation_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_monthlycategorysales_territory_id_73a7089e"',
                    reverse_sql='CREATE INDEX "orders_monthlycategorysales_territory_id_73a7089e" ON "orders_monthlycategorysales" ("territory_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_monthlysales_account_id_876f7ba5"',
                    reverse_sql='CREATE INDEX "orders_monthlysales_account_id_876f7ba5" ON "orders_monthlysales" ("account_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_monthlysales_organisation_id_9b53ad9c"',
                    reverse_sql='CREATE INDEX "orders_monthlysales_organisation_id_9b53ad9c" ON "orders_monthlysales" ("organisation_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_monthlysales_rep_id_747cfeec"',
                    reverse_sql='CREATE INDEX "orders_monthlysales_rep_id_747cfeec" ON "orders_monthlysales" ("rep_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_monthlysales_territory_id_55a82e7a"',
                    reverse_sql='CREATE INDEX "orders_monthlysales_territory_id_55a82e7a" ON "orders_monthlysales" ("territory_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_order_account_id_cf843c80"',
                    reverse_sql='CREATE INDEX "orders_order_account_id_cf843c80" ON "orders_order" ("account_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_order_organisation_id_46ef4fe7"',
                    reverse_sql='CREATE INDEX "orders_order_organisation_id_46ef4fe7" ON "orders_order" ("organisation_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_order_rep_id_0268a35c"',
                    reverse_sql='CREATE INDEX "orders_order_rep_id_0268a35c" ON "orders_order" ("rep_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_orderline_promotion_id_a71cf669"',
                    reverse_sql='CREATE INDEX "orders_orderline_promotion_id_a71cf669" ON "orders_orderline" ("promotion_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="orderline",
            index=models.Index(
                condition=models.Q(("promotion__isnull", False)),
                fields=["promotion"],
                name="orderline_promotion_idx",
            ),
        ),
    ]
