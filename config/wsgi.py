import os

from django.core.wsgi import get_wsgi_application

from config.chunked import with_chunked_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = with_chunked_bodies(get_wsgi_application())  # config/chunked.py
