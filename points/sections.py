"""Split an editor-written page into its sections, so a page can show some of them first.

Condition pages lead with what the condition is and when to see a doctor
(issue 13), before the points; the rest of the article follows the points.
The HTML was sanitised when the page was saved; splitting at its <h2>
headings keeps every byte as it was.
"""

import re

HEADING = re.compile(r"(?=<h2[\s>])")
TITLE = re.compile(r"<h2[^>]*>(.*?)</h2>", re.DOTALL)
LEAD_TITLES = ("what it is", "when to see a doctor")


def split_lead(html):
    """(lead, rest): the sections titled "What it is" and "When to see a doctor", then everything else."""
    lead, rest = [], []
    for part in HEADING.split(html or ""):
        if not part.strip():
            continue
        title = TITLE.match(part)
        (lead if title and title.group(1).strip().lower() in LEAD_TITLES else rest).append(part)
    return "".join(lead), "".join(rest)
