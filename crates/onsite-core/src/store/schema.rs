//! Device database migrations. Append-only: never edit a shipped entry, add a new one.

/// Every migration, in order; `PRAGMA user_version` counts how many have run.
pub const MIGRATIONS: &[&str] = &[
    // 1: settings, and HQ's records for this technician's jobs.
    r#"
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

    CREATE TABLE customers (
        id BLOB PRIMARY KEY,
        name TEXT NOT NULL,
        phone TEXT,
        email TEXT
    ) STRICT;

    CREATE TABLE sites (
        id BLOB PRIMARY KEY,
        customer_id BLOB NOT NULL REFERENCES customers(id),
        address TEXT NOT NULL,
        town TEXT,
        access_notes TEXT
    ) STRICT;

    CREATE TABLE assets (
        id BLOB PRIMARY KEY,
        customer_id BLOB NOT NULL REFERENCES customers(id),
        site_id BLOB REFERENCES sites(id),
        model TEXT NOT NULL,
        serial TEXT,
        purchased_on TEXT,
        installed_on TEXT,
        warranty_until TEXT
    ) STRICT;

    CREATE TABLE jobs (
        id BLOB PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        priority TEXT NOT NULL,
        summary TEXT NOT NULL,
        description TEXT,
        customer_id BLOB NOT NULL REFERENCES customers(id),
        site_id BLOB NOT NULL REFERENCES sites(id),
        asset_id BLOB REFERENCES assets(id),
        technician TEXT,
        scheduled_start TEXT,
        scheduled_end TEXT,
        sla_due TEXT,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    -- The job list's order: scheduled jobs by start time, unscheduled last, then by number.
    CREATE INDEX jobs_by_schedule ON jobs(scheduled_start IS NULL, scheduled_start, number);
    "#,
    // 2: each job's status history as HQ recorded it; an index for the past-jobs view, which
    // walks scheduled jobs newest first.
    r#"
    CREATE TABLE job_history (
        job_id BLOB NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        detail TEXT,
        PRIMARY KEY (job_id, seq)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX jobs_by_start ON jobs(scheduled_start, number) WHERE scheduled_start IS NOT NULL;
    "#,
    // 3: every change the technician records, as an op: the outbox is the ops HQ has not
    // acknowledged yet, the rest keep their outcome. What HQ recorded against each job. The
    // attachments captured, and whether HQ holds their content. Jobs HQ took away while
    // they still had unsent ops stay, read-only, until those are sent.
    r#"
    CREATE TABLE ops (
        seq INTEGER PRIMARY KEY,
        op_id BLOB NOT NULL UNIQUE,
        job_id BLOB NOT NULL,
        job_number TEXT NOT NULL,
        kind TEXT NOT NULL,
        hlc TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'applied', 'conflict', 'rejected')),
        reason TEXT,
        message TEXT,
        acked_at TEXT
    ) STRICT;
    CREATE INDEX ops_outbox ON ops(seq) WHERE state IN ('pending', 'sent');
    CREATE INDEX ops_by_job ON ops(job_id, seq);

    CREATE TABLE job_ops (
        job_id BLOB NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        op_id BLOB NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (job_id, seq)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE attachments (
        sha256 TEXT PRIMARY KEY,
        bytes INTEGER NOT NULL,
        media_type TEXT NOT NULL,
        uploaded_at TEXT
    ) STRICT;

    ALTER TABLE jobs ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
    "#,
    // 4: what moved a job in its history (a technician's own status changes are shown once,
    // from their ops); the HQ certificates a technician confirmed, by address, kept across
    // logouts; and a fresh pull, so the jobs held come again with the events and people's
    // names HQ now sends.
    r#"
    ALTER TABLE job_history ADD COLUMN event TEXT NOT NULL DEFAULT 'updated';

    CREATE TABLE trusted_hqs (
        url TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        confirmed_at TEXT NOT NULL
    ) STRICT;

    DELETE FROM settings WHERE key = 'cursor';
    "#,
    // 5: HQ's recorded ops found by id, so a page holding only what changed merges into them.
    r#"
    CREATE INDEX job_ops_by_op ON job_ops(job_id, op_id);
    "#,
    // 6: HQ's reference data, as the pull brings it: the parts catalog, the checklist
    // templates and warranty policies (every version) and the technical guides that apply to
    // the jobs held, searchable offline, and the van's balances as HQ last had them.
    r#"
    CREATE TABLE parts (
        sku TEXT PRIMARY KEY,
        body TEXT NOT NULL
    ) STRICT;
    CREATE TABLE checklist_templates (
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (key, version)
    ) STRICT;
    CREATE TABLE warranty_policies (
        model TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (model, version)
    ) STRICT;
    CREATE TABLE guides (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        models TEXT NOT NULL,
        body TEXT NOT NULL
    ) STRICT;
    CREATE VIRTUAL TABLE guides_text USING fts5(
        title, body, content = 'guides', tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER guides_text_insert AFTER INSERT ON guides BEGIN
        INSERT INTO guides_text (rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END;
    CREATE TRIGGER guides_text_delete AFTER DELETE ON guides BEGIN
        INSERT INTO guides_text (guides_text, rowid, title, body)
            VALUES ('delete', old.rowid, old.title, old.body);
    END;
    CREATE TRIGGER guides_text_update AFTER UPDATE ON guides BEGIN
        INSERT INTO guides_text (guides_text, rowid, title, body)
            VALUES ('delete', old.rowid, old.title, old.body);
        INSERT INTO guides_text (rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END;
    CREATE TABLE van_stock (
        sku TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        qty INTEGER NOT NULL,
        serials TEXT NOT NULL
    ) STRICT;
    "#,
    // 7: the service history of the products of the jobs held (their other jobs, as HQ sent
    // them with the asset), read offline.
    r#"
    CREATE TABLE service_history (
        asset_id BLOB NOT NULL,
        job_id BLOB NOT NULL,
        at TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (asset_id, job_id)
    ) STRICT;
    "#,
    // 8: the parts requests HQ filled, as each pulled job carries them.
    r#"
    CREATE TABLE parts_fills (
        request_op BLOB PRIMARY KEY,
        job_id BLOB NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        body TEXT NOT NULL
    ) STRICT;
    CREATE INDEX parts_fills_job ON parts_fills(job_id);
    "#,
    // 9: the organisation's letterhead, for service reports made offline.
    r#"
    CREATE TABLE letterhead (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL
    ) STRICT;
    "#,
    // 10: where each job's thank-you letter stands at HQ, as each pulled job carries it.
    r#"
    CREATE TABLE letters (
        job_id BLOB PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
        body TEXT NOT NULL
    ) STRICT;
    "#,
    // 11: the labour price list, so chargeable work is priced on reports made offline.
    r#"
    CREATE TABLE labour_prices (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL
    ) STRICT;
    "#,
];

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_validate() {
        onsite_sqlite::validate(super::MIGRATIONS).unwrap();
    }
}
