"""Migration m008: the full-text indexes see text without invisible characters.

Registered on schema.py's ``migrations`` after m007 (schema.py imports this module at its
end, before m009). Frozen once released, like every migration: never edit it.
"""

from __future__ import annotations

from sqlite_utils import Database

from workstation.storage.schema import _run_script, migrations

# -- m008: the full-text indexes see text without invisible characters --------------------------
#
# FTS5's unicode61 tokenizer splits a word at any format character, so "Nav<ZWSP>alny" was two
# tokens and a search for Navalny missed it (docs/architecture.md, "Text display": matching ignores
# default-ignorable characters). The stored text is never rewritten; the indexes are fed a
# folded copy instead, computed in plain SQL so that any SQLite tool writing the file keeps
# them in step (no Python function is needed to run a trigger).
#
# Frozen with m008, like M004_LIBRARY_INDEXES: the triggers of every workspace hold this list,
# and queries are folded by the same one. It is the default-ignorable characters the domain's
# display policy names (text_display: SHY, ZWSP, ZWNJ, ZWJ, WJ, BOM, the bidi controls, CGJ,
# ALM, MVS, the invisible operators, the Hangul fillers), which is what turns up in text;
# tests/unit/test_invisible_search.py checks it against the domain. A longer list needs m009.
M008_INDEX_IGNORABLES = (
    0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
    0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066,
    0x2067, 0x2068, 0x2069, 0x3164, 0xFEFF, 0xFFA0,
)  # fmt: skip
# Nested replace() calls fill SQLite's parser stack (100 entries by default; 28 nested calls
# overflow it): the removals run in stages of at most this many, one subquery each.
_REPLACES_PER_STAGE = 8


def m008_indexed_text(expr: str) -> str:
    """``expr`` without the characters of M008_INDEX_IGNORABLES, as one SQL expression.

    What the full-text indexes hold for a column since m008 (triggers, views, repairs and the
    integrity check all use it). Measured on 5 KB bodies: the removals cost ~0.17 ms a body
    (each replace() copies the text once), less than any test for whether one is needed
    (a GLOB over a character class: 0.8 ms; 28 instr(): 0.2 ms)."""
    codes = M008_INDEX_IGNORABLES
    stages = [codes[i : i + _REPLACES_PER_STAGE] for i in range(0, len(codes), _REPLACES_PER_STAGE)]
    select = ""
    for stage in stages:
        value = "v" if select else f"({expr})"
        for code in stage:
            value = f"replace({value}, char(0x{code:04X}), '')"
        select = f"SELECT {value} AS v" + (f" FROM ({select})" if select else "")
    return f"({select})"


def _m008_sync_triggers(db: Database, table: str, cols: tuple[str, ...]) -> None:
    """m002's triggers for an external-content index, feeding it folded text."""
    fts = f"{table}_fts"
    col_list = ", ".join(cols)
    old_vals = ", ".join(m008_indexed_text(f"old.{c}") for c in cols)
    new_vals = ", ".join(m008_indexed_text(f"new.{c}") for c in cols)
    watched_cols = ", ".join((*cols, "deleted_at"))
    _run_script(
        db,
        f"""
        CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table}
        WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO {fts}(rowid, {col_list}) VALUES (new.seq, {new_vals});
        END;
        CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table}
        WHEN old.deleted_at IS NULL BEGIN
            INSERT INTO {fts}({fts}, rowid, {col_list}) VALUES ('delete', old.seq, {old_vals});
        END;
        -- One trigger, two statements in order (see m002).
        CREATE TRIGGER {table}_fts_update AFTER UPDATE OF {watched_cols} ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {col_list})
                SELECT 'delete', old.seq, {old_vals} WHERE old.deleted_at IS NULL;
            INSERT INTO {fts}(rowid, {col_list})
                SELECT new.seq, {new_vals} WHERE new.deleted_at IS NULL;
        END;
        """,
    )


def m008_entity_aliases(aliases: str) -> str:
    """The alias text entities_fts holds for an entity's JSON ``aliases`` since m008."""
    return m008_indexed_text(f"SELECT group_concat(value, ' · ') FROM json_each({aliases})")


@migrations()
def m008_index_without_invisible_characters(db: Database) -> None:
    # The external-content indexes read their text through the live-rows views: the views
    # fold, so 'rebuild' and FTS5's own integrity-check see what the triggers index.
    for table, cols in (("documents", ("title", "body")), ("annotations", ("exact", "note"))):
        for event in ("insert", "delete", "update"):
            db.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
        db.execute(f"DROP VIEW IF EXISTS {table}_live")
        folded = ", ".join(f"{m008_indexed_text(c)} AS {c}" for c in cols)
        db.execute(
            f"CREATE VIEW {table}_live AS SELECT seq, {folded} FROM {table} "
            "WHERE deleted_at IS NULL"
        )
        _m008_sync_triggers(db, table, cols)
        db.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
    name, aliases = m008_indexed_text("new.name"), m008_entity_aliases("new.aliases")
    for event in ("insert", "delete", "update"):
        db.execute(f"DROP TRIGGER IF EXISTS entities_fts_{event}")
    _run_script(
        db,
        f"""
        CREATE TRIGGER entities_fts_insert AFTER INSERT ON entities
        WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO entities_fts(rowid, name, aliases) VALUES (new.seq, {name}, {aliases});
        END;
        CREATE TRIGGER entities_fts_delete AFTER DELETE ON entities BEGIN
            DELETE FROM entities_fts WHERE rowid = old.seq;
        END;
        CREATE TRIGGER entities_fts_update AFTER UPDATE OF name, aliases, deleted_at ON entities
        BEGIN
            DELETE FROM entities_fts WHERE rowid = old.seq;
            INSERT INTO entities_fts(rowid, name, aliases)
                SELECT new.seq, {name}, {aliases} WHERE new.deleted_at IS NULL;
        END;
        """,
    )
    # entities_fts keeps its own copy of the text: refilled, as storage.repair does (made to
    # agree with that copy first, since deleting from a damaged index can fail).
    db.execute("INSERT INTO entities_fts(entities_fts) VALUES ('rebuild')")
    db.execute("DELETE FROM entities_fts")
    db.execute(
        f"""INSERT INTO entities_fts(rowid, name, aliases)
            SELECT seq, {m008_indexed_text("name")}, {m008_entity_aliases("aliases")}
            FROM entities WHERE deleted_at IS NULL ORDER BY seq"""
    )
