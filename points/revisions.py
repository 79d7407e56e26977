"""Pending revisions as form data: stored, rebased onto the live rows, and compared word by word.

A revision stores what the editor's change form submitted. Replaying it through
the same admin forms gives preview, comparison and publishing the validation of
an ordinary save. Inline rows are matched to live rows by id; a row that has
gone from the live page meanwhile becomes a new row (or is dropped if the
revision deleted it anyway), so a replay never fails on an id that no longer
exists.
"""

import difflib
import re

from django.http import QueryDict
from django.utils.html import format_html, format_html_join

# Buttons and bookkeeping the admin posts that are not part of the content.
NOT_CONTENT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew", "_publish"}
WORKFLOW_FIELDS = {"loaded_version", "loaded_revision"}


def normalise_text(value):
    """Unix line endings, no trailing spaces: saving an untouched form must change nothing."""
    if not isinstance(value, str):
        return value
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def snapshot(post):
    """The content of a submitted change form, as plain JSON."""
    return {key: post.getlist(key) for key in post if key not in NOT_CONTENT | WORKFLOW_FIELDS}


def to_querydict(data, **extra):
    querydict = QueryDict(mutable=True)
    for key, values in data.items():
        querydict.setlist(key, list(values))
    for key, value in extra.items():
        querydict[key] = value
    return querydict


ROW = re.compile(r"^(?P<index>\d+)-(?P<field>.+)$")


def rebase_rows(data, prefix, live_pks, pk_name="id", delete_unlisted=None):
    """Match the inline rows under ``prefix`` to the live rows; return the new data and the rows re-added.

    Rows whose id is no longer live are moved after the live ones as new rows;
    rows the form deleted and that are gone anyway are dropped. With
    ``delete_unlisted`` (a mapping of extra fields, such as the parent key), live
    rows the form does not list are deleted: a revert restores the old rows only.
    """
    total_key, initial_key = f"{prefix}-TOTAL_FORMS", f"{prefix}-INITIAL_FORMS"
    if total_key not in data:
        return data, []
    try:
        total = int(data.get(total_key))
        initial = int(data.get(initial_key, 0))
    except (TypeError, ValueError):
        return data, []
    rows = {index: {} for index in range(total)}
    for key in list(data):
        if key.startswith(f"{prefix}-"):
            match = ROW.match(key[len(prefix) + 1 :])
            if match and int(match["index"]) in rows:
                rows[int(match["index"])][match["field"]] = data.getlist(key)
    live = {str(pk) for pk in live_pks}
    kept, added, readded = [], [], []
    for index in range(total):
        row = rows[index]
        row_pk = (row.get(pk_name) or [""])[0]
        if index >= initial:
            added.append(row)
        elif row_pk in live:
            kept.append(row)
        elif row.get("DELETE", [""])[0] in ("on", "true", "True", "1"):
            continue
        else:
            row = {name: values for name, values in row.items() if name != pk_name}
            added.append(row)
            readded.append(row)
    listed = {(row.get(pk_name) or [""])[0] for row in kept}
    deletions = []
    if delete_unlisted is not None:
        deletions = [
            {pk_name: [pk], "DELETE": ["on"], **{name: [value] for name, value in delete_unlisted.items()}}
            for pk in sorted(live - listed)
        ]
    if not readded and not deletions and len(kept) == initial:
        return data, []
    rebased = data.copy()
    for key in list(rebased):
        if key.startswith(f"{prefix}-") and ROW.match(key[len(prefix) + 1 :]):
            del rebased[key]
    for index, row in enumerate(kept + deletions + added):
        for name, values in row.items():
            rebased.setlist(f"{prefix}-{index}-{name}", values)
    rebased[initial_key] = str(len(kept) + len(deletions))
    rebased[total_key] = str(len(kept) + len(deletions) + len(added))
    return rebased, readded


def word_diff(old, new):
    """HTML showing ``old`` changed into ``new``: deletions in <del>, insertions in <ins>, all text escaped."""
    old_words, new_words = re.split(r"(\s+)", old or ""), re.split(r"(\s+)", new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("{}", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("<del>{}</del>", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("<ins>{}</ins>", "".join(new_words[b1:b2])))
    return format_html_join("", "{}", ((format_html(template, text),) for template, text in parts))
