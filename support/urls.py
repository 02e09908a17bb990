from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.help_centre, name="help_centre"),
    path("guides/", views.guides, name="guides"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request_detail"),
]
