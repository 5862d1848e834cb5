from ninja import NinjaAPI

api = NinjaAPI(title="Opstap API", version="1", urls_namespace="api")
