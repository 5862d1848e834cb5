app_name = "gpmi"
urlpatterns: list = []
