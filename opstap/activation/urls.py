app_name = "activation"
urlpatterns: list = []
