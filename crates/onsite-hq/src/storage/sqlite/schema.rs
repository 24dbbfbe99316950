//! HQ database migrations. Append-only: never edit a shipped entry, add a new one.

/// Every migration, in order; `PRAGMA user_version` counts how many have run.
pub const MIGRATIONS: &[&str] = &[
    // 1: accounts, sessions, the job domain, the technicians' change feed, the job audit trail.
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    INSERT INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(16))));
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
    INSERT INTO counters (name, value) VALUES ('feed_seq', 0), ('job_number', 0);

    CREATE TABLE users (
        id BLOB PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'dispatcher', 'technician')),
        skills TEXT NOT NULL DEFAULT '[]',
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        user_id BLOB NOT NULL REFERENCES users(id),
        device_id BLOB NOT NULL,
        access_hash BLOB NOT NULL UNIQUE,
        access_expires_at TEXT NOT NULL,
        refresh_hash BLOB NOT NULL UNIQUE,
        refresh_expires_at TEXT NOT NULL,
        previous_refresh_hash BLOB,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    ) STRICT;
    CREATE INDEX sessions_previous_refresh ON sessions(previous_refresh_hash);

    CREATE TABLE customers (
        id BLOB PRIMARY KEY,
        match_key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        phone TEXT,
        email TEXT
    ) STRICT;

    CREATE TABLE sites (
        id BLOB PRIMARY KEY,
        customer_id BLOB NOT NULL REFERENCES customers(id),
        match_key TEXT NOT NULL UNIQUE,
        address TEXT NOT NULL,
        town TEXT,
        access_notes TEXT
    ) STRICT;

    CREATE TABLE assets (
        id BLOB PRIMARY KEY,
        customer_id BLOB NOT NULL REFERENCES customers(id),
        site_id BLOB REFERENCES sites(id),
        match_key TEXT NOT NULL UNIQUE,
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
        technician TEXT REFERENCES users(username),
        scheduled_start TEXT,
        scheduled_end TEXT,
        sla_due TEXT,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX jobs_technician ON jobs(technician);
    CREATE INDEX jobs_customer ON jobs(customer_id);
    CREATE INDEX jobs_site ON jobs(site_id);
    CREATE INDEX jobs_asset ON jobs(asset_id);

    -- One row per (technician, job) that technician holds or held, stamped with the sequence
    -- number of the latest change that concerns them. Sequence numbers are allocated inside
    -- the write transaction (SQLite has one writer at a time), so they become visible in order.
    CREATE TABLE job_feed (
        technician TEXT NOT NULL,
        job_id BLOB NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (technician, job_id)
    ) STRICT, WITHOUT ROWID;
    CREATE UNIQUE INDEX job_feed_by_seq ON job_feed(technician, seq);

    CREATE TABLE job_events (
        id INTEGER PRIMARY KEY,
        job_id BLOB NOT NULL REFERENCES jobs(id),
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT
    ) STRICT;
    CREATE INDEX job_events_job ON job_events(job_id);
    "#,
    // 2: the status a job entered with an event, so technicians see a status history.
    r#"
    ALTER TABLE job_events ADD COLUMN status TEXT;
    CREATE INDEX job_events_status ON job_events(job_id, id) WHERE status IS NOT NULL;
    "#,
];

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_validate() {
        onsite_sqlite::validate(super::MIGRATIONS).unwrap();
    }
}
