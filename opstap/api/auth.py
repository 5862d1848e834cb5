"""API authentication: the browser session or a personal API token (Authorization: Bearer …)."""

from ninja.security import django_auth

api_auth = [django_auth]
