import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intymak.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their models and URLs: some 90,000 objects) lives as long as the
# process. Out of the cyclic garbage collector's sight, its full collections no longer walk them all during requests
# (benchmarks/README.md has the figure).
gc.freeze()
