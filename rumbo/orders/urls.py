from django.urls import path

from rumbo.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_new, name="new"),
    path("outbox/", views.outbox, name="outbox"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/action/", views.order_action, name="action"),
    path("<int:pk>/print/", views.order_print, name="print"),
    path("<int:pk>/pdf/", views.order_pdf, name="pdf"),
]
