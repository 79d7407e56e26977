"""The index that finds points by what their names and page text contain.

One question, asked of whichever database the site runs on: which points have this
text somewhere in their names (``Point.search_names``) or in their page text, in any
case, as ``icontains`` would answer it, but from an index instead of reading every
point. On SQLite that index is an FTS5 table with the trigram tokenizer, kept in step
with ``points_point`` by triggers; on PostgreSQL it is two GIN trigram indexes
(``pg_trgm``): one over ``search_names``, one over ``search_text``, a stored generated
column holding the page text in lower case (migration 0012: an index over the joined
fields themselves made PostgreSQL rebuild and re-test the joined text of every row it
found, and plan around the expression). Both are made by migrations, so every way a
point is written (the admin, fixtures, bulk loads) keeps them current.

Substrings, not words: a reader's "sciatic" finds "sciatica" and "back" finds
"backache", as the site always has, and both databases give the same answers. Text
shorter than three characters makes no trigram, so those few searches read the
columns directly, as before.
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# The page text that search reads, besides the names.
TEXT_FIELDS = ("summary", "location", "finding", "indications", "functions")
MIN_LENGTH = 3

# The text fields joined into one value (migration 0011's index), by a character no reader types,
# so a match never spans two fields; migration 0012 stores it, in lower case, as search_text.
PG_TEXT = "(summary || chr(31) || location || chr(31) || finding || chr(31) || indications || chr(31) || functions)"
# Fixed SQL: the reader's text is only ever a parameter (lower-cased, as search_text is).
PG_CODE_MATCH = '"points_point"."code" = %s'
PG_NAMES_MATCH = '"points_point"."search_names" LIKE %s'
PG_TEXT_MATCH = '"points_point"."search_text" LIKE %s'
PG_IDS_MATCH = '"points_point"."id" = ANY(%s)'
PG_MATCHING_SQL = "SELECT id FROM points_point WHERE "
PG_NAMES_SQL = PG_MATCHING_SQL + PG_NAMES_MATCH
PG_TEXT_SQL = PG_MATCHING_SQL + PG_TEXT_MATCH
SQLITE_SQL = "SELECT rowid FROM points_point_text WHERE points_point_text MATCH %s"
SQLITE_TEXT_COLUMNS = "{summary location finding indications functions}"


def names_contain(fragment):
    """Points with ``fragment`` (already normalised, as ``search_names`` is) in a name."""
    index = _index(fragment)
    if index == "sqlite":
        return _fts_match("search_names", fragment)
    if index == "postgresql":
        return Q(pk__in=RawSQL(PG_NAMES_SQL, [_like(fragment)]))  # noqa: S611
    return Q(search_names__contains=fragment)


def text_contains(fragment):
    """Points with ``fragment`` anywhere in their page text, in any case."""
    index = _index(fragment)
    if index == "sqlite":
        return _fts_match(SQLITE_TEXT_COLUMNS, fragment)
    if index == "postgresql":
        return Q(pk__in=RawSQL(PG_TEXT_SQL, [_like(fragment.lower())]))  # noqa: S611
    condition = Q(pk__in=[])
    for name in TEXT_FIELDS:
        condition |= Q(**{f"{name}__icontains": fragment})
    return condition


def points_matching(*, code=None, names=(), texts=(), ids=(), every_match=False):
    """Points whose code is ``code``, with one of ``names`` in a name or one of ``texts`` in their
    page text, or whose id is in ``ids``: one condition for the point list's and search's queries.
    ``every_match``: the query reads them all, in no order (search ranks them itself), rather than
    one page in the list's order; the condition then names the points table itself, so it belongs
    in a query over points, not in a subquery (where Django renames the table)."""
    if connection.vendor == "postgresql":
        conditions, params = [], []
        if code:
            conditions.append(PG_CODE_MATCH)
            params.append(code)
        for name in names:
            conditions.append(PG_NAMES_MATCH)
            params.append(_like(name))
        for text in texts:
            conditions.append(PG_TEXT_MATCH)
            params.append(_like(text.lower()))
        if ids:
            conditions.append(PG_IDS_MATCH)
            params.append(sorted(ids))
        if not conditions:
            return Q(pk__in=[])
        if every_match:
            # Read in full, the conditions are best tested together on each row: PostgreSQL ORs their index
            # scans and checks the rest on the rows it reads anyway (search's query with 5,000 extra points:
            # 1.6 -> 1.0 ms). Sorted and paged, the same OR made it read every point in the list's order.
            return Q(RawSQL(f"({' OR '.join(conditions)})", params, output_field=BooleanField()))  # noqa: S611
        # A page in the list's order: one subquery, a UNION of index scans, unnested from an array, so
        # the matches are read first and their points looked up by id (planned as a join, the UNION's
        # estimate made PostgreSQL read every point to find a few hundred).
        union = " UNION ".join(PG_MATCHING_SQL + condition for condition in conditions)
        return Q(pk__in=RawSQL(f"SELECT unnest(ARRAY({union}))", params))  # noqa: S611
    condition = Q(pk__in=[])
    if code:
        condition |= Q(code=code)
    for name in names:
        condition |= names_contain(name)
    for text in texts:
        condition |= text_contains(text)
    if ids:
        condition |= Q(pk__in=sorted(ids))
    return condition


def _index(fragment):
    """Which index can answer for ``fragment``: none for text too short to make a trigram."""
    return connection.vendor if len(fragment) >= MIN_LENGTH else None


def _fts_match(columns, fragment):
    # One phrase: the trigram tokenizer matches it as a substring. Quotes inside are doubled.
    phrase = '"' + fragment.replace('"', '""') + '"'
    return Q(pk__in=RawSQL(SQLITE_SQL, [f"{columns} : {phrase}"]))  # noqa: S611


def _like(fragment):
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Made and removed by migration 0011 ---------------------------------------------------------

# External content: the text stays in points_point and the FTS table holds only the index.
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE points_point_text USING fts5(search_names, summary, location, finding, indications, "
    "functions, content='points_point', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER points_point_text_insert AFTER INSERT ON points_point BEGIN "
    "INSERT INTO points_point_text(rowid, search_names, summary, location, finding, indications, functions) "
    "VALUES (new.id, new.search_names, new.summary, new.location, new.finding, new.indications, new.functions); END",
    "CREATE TRIGGER points_point_text_delete AFTER DELETE ON points_point BEGIN "
    "INSERT INTO points_point_text(points_point_text, rowid, search_names, summary, location, finding, indications, "
    "functions) VALUES ('delete', old.id, old.search_names, old.summary, old.location, old.finding, old.indications, "
    "old.functions); END",
    "CREATE TRIGGER points_point_text_update AFTER UPDATE OF search_names, summary, location, finding, indications, "
    "functions ON points_point BEGIN "
    "INSERT INTO points_point_text(points_point_text, rowid, search_names, summary, location, finding, indications, "
    "functions) VALUES ('delete', old.id, old.search_names, old.summary, old.location, old.finding, old.indications, "
    "old.functions); "
    "INSERT INTO points_point_text(rowid, search_names, summary, location, finding, indications, functions) "
    "VALUES (new.id, new.search_names, new.summary, new.location, new.finding, new.indications, new.functions); END",
    "INSERT INTO points_point_text(points_point_text) VALUES ('rebuild')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS points_point_text_insert",
    "DROP TRIGGER IF EXISTS points_point_text_delete",
    "DROP TRIGGER IF EXISTS points_point_text_update",
    "DROP TABLE IF EXISTS points_point_text",
)
POSTGRES_CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS points_point_names_trgm ON points_point USING gin (search_names gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS points_point_text_trgm ON points_point USING gin (" + PG_TEXT + " gin_trgm_ops)",
)
POSTGRES_DROP = ("DROP INDEX IF EXISTS points_point_names_trgm", "DROP INDEX IF EXISTS points_point_text_trgm")
MIGRATION_SQL = {"sqlite": (SQLITE_CREATE, SQLITE_DROP), "postgresql": (POSTGRES_CREATE, POSTGRES_DROP)}


def create_index(apps, schema_editor):
    for statement in MIGRATION_SQL.get(schema_editor.connection.vendor, ((), ()))[0]:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    for statement in MIGRATION_SQL.get(schema_editor.connection.vendor, ((), ()))[1]:
        schema_editor.execute(statement)


# Made and removed by migration 0012 (PostgreSQL only) -------------------------------------------

POSTGRES_STORED_CREATE = (
    "ALTER TABLE points_point ADD COLUMN IF NOT EXISTS search_text text GENERATED ALWAYS AS (lower("
    + PG_TEXT
    + ")) STORED",
    "DROP INDEX IF EXISTS points_point_text_trgm",
    "CREATE INDEX IF NOT EXISTS points_point_search_text_trgm ON points_point USING gin (search_text gin_trgm_ops)",
)
POSTGRES_STORED_DROP = (
    "DROP INDEX IF EXISTS points_point_search_text_trgm",
    "ALTER TABLE points_point DROP COLUMN IF EXISTS search_text",
    POSTGRES_CREATE[2],
)


def store_text(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_STORED_CREATE:
            schema_editor.execute(statement)


def unstore_text(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_STORED_DROP:
            schema_editor.execute(statement)
