"""Ids written into pages are never grouped like numbers (1.234 in Spanish)."""

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation


def test_the_sync_script_gets_the_users_id_without_a_thousands_separator():
    user = SimpleNamespace(pk=123456, is_authenticated=True, role="rep")
    with translation.override("es"):
        html = render_to_string("orders/_pwa_scripts.html", {"user": user})
    assert 'data-user="123456"' in html
