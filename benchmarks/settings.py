"""Settings for benchmarks/pages.py: the portal's own, plus the floor view's address.

benchmarks/pages.py sets the environment (DATABASE_URL, DJANGO_DEBUG=0, ...) before anything reads this module.
"""

import os

from intymak.settings import *  # noqa: F403
from intymak.settings import STATIC_ROOT

ROOT_URLCONF = "benchmarks.floor"
# DJANGO_DEBUG=0 serves static files from collectstatic's manifest: the benchmark collects them into a temporary
# folder instead of the project's staticfiles/.
STATIC_ROOT = os.environ.get("BENCHMARK_STATIC_ROOT", STATIC_ROOT)
