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

from points.choices import Status

# The page text that search reads, besides the names.
TEXT_FIELDS = ("summary", "location", "finding", "indications", "functions")
MIN_LENGTH = 3

# The text fields joined into one value (migration 0011's index), by a character no reader types,
# so a match never spans two fields; migration 0012 stores it, in lower case, as search_text.
PG_TEXT = "(summary || chr(31) || location || chr(31) || finding || chr(31) || indications || chr(31) || functions)"
# Fixed SQL: the reader's text is only ever a parameter (lower-cased, as search_text is). Each
# condition names the points table itself, so it belongs in a query over points, not in a subquery
# (where Django renames the table).
SQLITE_SQL = "SELECT rowid FROM points_point_text WHERE points_point_text MATCH %s"
SQLITE_TEXT_COLUMNS = "{summary location finding indications functions}"
# Django's contains on SQLite: LIKE, which ignores the case of ASCII letters, with its escapes.
SQLITE_LIKE = "LIKE %s ESCAPE '\\'"


def names_contain(fragment):
    """Points with ``fragment`` (already normalised, as ``search_names`` is) in a name."""
    return _q(_names_sql(fragment))


def text_contains(fragment):
    """Points with ``fragment`` anywhere in their page text, in any case."""
    return _q(_text_sql(fragment))


def points_matching(*, code=None, names=(), texts=(), ids=(), every_match=False):
    """Points whose code is ``code``, with one of ``names`` in a name or one of ``texts`` in their
    page text, or whose id is in ``ids``: one condition for the point list's and search's queries.
    ``every_match``: the query reads them all, in no order (search ranks them itself), rather than
    one page in the list's order."""
    return _q(_matching_sql(code, names, texts, ids, every_match))


def matching_ids(*, code=None, names=(), texts=(), ids=(), drafts=False):
    """The ids of the points ``points_matching`` finds, every one, in no order: the published ones,
    or every point for staff (``drafts``), as ``visible_to`` has it. Written here, not through the
    ORM: for search's query, building and compiling it cost more than running it."""
    matching = _matching_sql(code, names, texts, ids, every_match=True)
    if matching is None:
        return []
    sql, params = matching
    if not drafts:
        sql, params = f'{sql} AND "points_point"."status" = %s', [*params, Status.PUBLISHED]
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "points_point"."id" FROM "points_point" WHERE {sql}', params)  # noqa: S608 - fixed SQL
        return [pk for (pk,) in cursor.fetchall()]


def _matching_sql(code, names, texts, ids, every_match):
    """(sql, params) of ``points_matching``'s condition, or None when there is nothing to match."""
    conditions = []
    if code:
        conditions.append(('"points_point"."code" = %s', [code]))
    conditions += [_names_sql(name) for name in names]
    conditions += [_text_sql(text) for text in texts]
    if ids:
        conditions.append(_ids_sql(sorted(ids)))
    if not conditions:
        return None
    if connection.vendor == "postgresql" and not every_match:
        # A page in the list's order: one subquery, a UNION of index scans, unnested from an array, so
        # the matches are read first and their points looked up by id. As an OR, PostgreSQL read every
        # point in the list's order to find a few hundred, and planned for thousands of matches where
        # there are dozens; planned as a join, the UNION's estimate did the same.
        union = " UNION ".join(f"SELECT id FROM points_point WHERE {sql}" for sql, _params in conditions)  # noqa: S608
        return f'"points_point"."id" IN (SELECT unnest(ARRAY({union})))', _params_of(conditions)
    # Read in full (search), the conditions are best tested together on each row: PostgreSQL ORs their
    # index scans and checks the rest on the rows it reads anyway (search with 5,000 extra points: 1.6
    # -> 1.0 ms); SQLite ORs its lookups of the text index by rowid.
    return f"({' OR '.join(sql for sql, _params in conditions)})", _params_of(conditions)


def _names_sql(fragment):
    if _index(fragment) == "sqlite":
        return _fts_sql("search_names", fragment)
    if connection.vendor == "postgresql":
        # Shorter than a trigram, LIKE reads the column: the same condition either way.
        return '"points_point"."search_names" LIKE %s', [_like(fragment)]
    return f'"points_point"."search_names" {SQLITE_LIKE}', [_like(fragment)]


def _text_sql(fragment):
    if _index(fragment) == "sqlite":
        return _fts_sql(SQLITE_TEXT_COLUMNS, fragment)
    if connection.vendor == "postgresql":
        return '"points_point"."search_text" LIKE %s', [_like(fragment.lower())]
    fields = " OR ".join(f'"points_point"."{name}" {SQLITE_LIKE}' for name in TEXT_FIELDS)
    return f"({fields})", [_like(fragment)] * len(TEXT_FIELDS)


def _ids_sql(ids):
    if connection.vendor == "postgresql":
        return '"points_point"."id" = ANY(%s)', [ids]
    return f'"points_point"."id" IN ({", ".join(["%s"] * len(ids))})', ids


def _params_of(conditions):
    return [param for _sql, params in conditions for param in params]


def _q(condition):
    if condition is None:
        return Q(pk__in=[])
    sql, params = condition
    return Q(RawSQL(sql, params, output_field=BooleanField()))  # noqa: S611 - the reader's text is a parameter


def _index(fragment):
    """Which index can answer for ``fragment``: none for text too short to make a trigram."""
    return connection.vendor if len(fragment) >= MIN_LENGTH else None


def _fts_sql(columns, fragment):
    # One phrase: the trigram tokenizer matches it as a substring. Quotes inside are doubled.
    phrase = '"' + fragment.replace('"', '""') + '"'
    return f'"points_point"."id" IN ({SQLITE_SQL})', [f"{columns} : {phrase}"]


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


# Made and removed by migration 0013 (PostgreSQL only) -------------------------------------------

# Search reads search_text of every point it finds. Stored as other long text is, it was compressed
# or moved out of the row whenever a point's row grew past 2 KB, and unpacking it was most of the
# search's query (own content: 0.95 -> 0.70 ms). MAIN keeps it in the row, uncompressed, as long as
# moving the point's other long columns out makes room; a row too long even then still fits.
# Writing a column search_text is made from computes it again, stored the new way.
POSTGRES_INLINE_CREATE = (
    "ALTER TABLE points_point ALTER COLUMN search_text SET STORAGE MAIN",
    "UPDATE points_point SET summary = summary",
)
POSTGRES_INLINE_DROP = ("ALTER TABLE points_point ALTER COLUMN search_text SET STORAGE EXTENDED",)


def keep_text_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_INLINE_CREATE:
            schema_editor.execute(statement)


def let_text_move(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_INLINE_DROP:
            schema_editor.execute(statement)
