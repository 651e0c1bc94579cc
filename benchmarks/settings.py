"""Settings for benchmarks/pages.py: the portal's own, plus the floor view's address.

benchmarks/pages.py sets the environment (DATABASE_URL, DJANGO_DEBUG=0, ...) before anything reads this module.
"""

from intymak.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floor"
