"""One of each page type, as readers reach them: what the benchmark, the load test and the audit ask for."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    status: int = 200
    # make bench measures the pages readers land on; the small index pages are left to the audit.
    benched: bool = False
    # What the page must show for a measurement to mean anything: a list with results, a search that is not a redirect.
    must_contain: str = ""
    # Lighthouse audits the page fails on purpose (a 404 answers 404, search results are not for indexing).
    expected_failures: tuple = ()


CARDS = 'class="point-card'
NOT_FOUND = ("http-status-code", "errors-in-console")

PAGE_TYPES = (
    PageType("home", "/", benched=True),
    PageType("point list", "/points/"),
    PageType("filtered list", "/points/?area=lower-back&condition=lower-back-pain", benched=True, must_contain=CARDS),
    PageType("all points", "/points/?show=all", benched=True, must_contain=CARDS),
    PageType("point", "/points/li4/", benched=True),
    PageType("meridian list", "/meridians/"),
    PageType("meridian", "/meridians/bl/", benched=True),
    PageType("condition list", "/conditions/"),
    PageType("condition", "/conditions/lower-back-pain/", benched=True),
    PageType("safety list", "/safety/"),
    PageType("safety", "/safety/pregnancy/", benched=True),
    PageType("guide list", "/guides/"),
    PageType("guide", "/guides/measuring-in-cun/"),
    PageType("routine list", "/routines/"),
    PageType("routine", "/routines/lower-back-five-minutes/"),
    PageType("sources", "/sources/"),
    PageType("search", "/search/?q=back", benched=True, must_contain=CARDS, expected_failures=("is-crawlable",)),
    PageType("not found", "/no-such-page/", status=404, expected_failures=NOT_FOUND),
    PageType("unknown point", "/points/zz9/", status=404, expected_failures=NOT_FOUND),
)
BENCHED = tuple(page for page in PAGE_TYPES if page.benched)
