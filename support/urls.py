from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.help_centre, name="help_centre"),
    path("guides/", views.guides, name="guides"),
]
