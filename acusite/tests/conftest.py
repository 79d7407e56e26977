# The site-wide tests use the same fixtures as the content app's: a fresh cache, the pages every layout links to.
from points.tests.conftest import *  # noqa: F403
