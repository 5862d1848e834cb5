app_name = "balance"
urlpatterns: list = []
