"""The installable app's files at the site root (a service worker's scope is its folder)."""

from django.urls import path

from rumbo.orders import pwa

app_name = "pwa"
urlpatterns = [
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
]
