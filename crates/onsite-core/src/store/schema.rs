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
];

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_validate() {
        onsite_sqlite::validate(super::MIGRATIONS).unwrap();
    }
}
