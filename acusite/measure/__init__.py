"""Tools that measure the site (benchmark, load test, Lighthouse audit), kept apart from the content product."""
