"""Settings of the portal under benchmarks/pages.py, load.py and exports.py: the portal's own.

The benchmarks set the environment (DATABASE_URL, DJANGO_DEBUG=0, ...) before anything reads this module. The floor
they compare pages with is served apart, with settings of its own (benchmarks/floor.py).
"""

from intymak.settings import *  # noqa: F403
