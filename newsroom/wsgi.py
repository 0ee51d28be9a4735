"""
WSGI config for newsroom project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from reader import checks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()
# A server never signs sessions with the public development key.
if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
    raise ImproperlyConfigured(settings.REFUSAL_WITHOUT_KEY)
# A configuration under which a retraction could not reach every worker does not serve.
checks.refuse_to_serve_without_shared_invalidation()
