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
    // 3: every op devices pushed, whatever became of it; HQ's hybrid logical clock; the
    // clock stamp of each correctable value and the values that lost.
    r#"
    INSERT INTO meta (key, value) VALUES ('hlc', '');

    CREATE TABLE ops (
        seq INTEGER PRIMARY KEY,
        op_id BLOB UNIQUE,
        device_id BLOB NOT NULL,
        username TEXT NOT NULL,
        job_id BLOB,
        hlc TEXT,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL,
        hq_hlc TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'conflict', 'rejected')),
        reason TEXT,
        message TEXT,
        resolution TEXT CHECK (resolution IN ('accept_device', 'keep_hq')),
        resolved_by TEXT,
        resolved_at TEXT
    ) STRICT;
    CREATE INDEX ops_job ON ops(job_id, seq);
    CREATE INDEX ops_open_conflicts ON ops(seq) WHERE outcome = 'conflict' AND resolution IS NULL;

    -- Last-writer-wins registers: the clock stamp of the value each field holds now.
    CREATE TABLE field_clocks (
        entity BLOB NOT NULL,
        field TEXT NOT NULL,
        hlc TEXT NOT NULL,
        PRIMARY KEY (entity, field)
    ) STRICT, WITHOUT ROWID;

    -- Values that lost a last-writer-wins merge, kept for the record.
    CREATE TABLE field_history (
        id INTEGER PRIMARY KEY,
        entity BLOB NOT NULL,
        field TEXT NOT NULL,
        value TEXT,
        hlc TEXT,
        by TEXT,
        replaced_at TEXT NOT NULL,
        op_id BLOB
    ) STRICT;
    CREATE INDEX field_history_entity ON field_history(entity, id);
    "#,
    // 4: what a dispatcher said when settling a conflict, for the technician.
    r#"
    ALTER TABLE ops ADD COLUMN resolution_note TEXT;
    "#,
    // 5: devices whose clock was found far ahead of HQ's: the latest such stamp, by how much,
    // and how many ops HQ had to stamp itself.
    r#"
    CREATE TABLE device_clocks (
        device_id BLOB PRIMARY KEY,
        username TEXT NOT NULL,
        stamp TEXT NOT NULL,
        ahead_ms INTEGER NOT NULL,
        seen_at TEXT NOT NULL,
        count INTEGER NOT NULL
    ) STRICT;
    "#,
    // 6: sessions that can end: accounts that can be disabled, why and when a session ended,
    // every refresh token a session has retired (so any of them presented again is seen as a
    // copy), the key that derives a rotation's tokens from the token presented (so a retry
    // gets the same pair), and sessions found by user and device.
    r#"
    ALTER TABLE users ADD COLUMN disabled_at TEXT;
    ALTER TABLE sessions ADD COLUMN rotated_at TEXT;
    ALTER TABLE sessions ADD COLUMN ended_why TEXT
        CHECK (ended_why IN ('logout', 'revoked', 'disabled', 'reused'));
    UPDATE sessions SET ended_why = 'revoked' WHERE revoked_at IS NOT NULL;
    CREATE TABLE retired_refresh (
        hash BLOB PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        retired_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX retired_refresh_session ON retired_refresh(session_id);
    INSERT INTO retired_refresh (hash, session_id, retired_at)
        SELECT previous_refresh_hash, id, created_at FROM sessions
        WHERE previous_refresh_hash IS NOT NULL;
    CREATE INDEX sessions_user_device ON sessions(user_id, device_id);
    CREATE INDEX sessions_device ON sessions(device_id);
    INSERT INTO meta (key, value) VALUES ('token_key', lower(hex(randomblob(32))));
    "#,
    // 7: a pull resends only what changed: the feed position by which each op was last
    // recorded or settled (0 for those before), and each feed row's position before its latest
    // stamp.
    r#"
    ALTER TABLE ops ADD COLUMN changed_seq INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX ops_job_changed ON ops(job_id, changed_seq);
    ALTER TABLE job_feed ADD COLUMN prev_seq INTEGER;
    "#,
    // 8: reference data HQ owns: the parts catalog, checklist templates and warranty policies
    // (each version kept, never changed), technical guides; each row carries the reference
    // feed position of its latest change.
    r#"
    INSERT INTO meta (key, value) VALUES ('ref_seq', '0');
    CREATE TABLE parts (
        sku TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        unit_price_cents INTEGER NOT NULL,
        serialized INTEGER NOT NULL,
        models TEXT NOT NULL,
        ref_seq INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE checklist_templates (
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        ref_seq INTEGER NOT NULL,
        PRIMARY KEY (key, version)
    ) STRICT;
    CREATE TABLE warranty_policies (
        model TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        ref_seq INTEGER NOT NULL,
        PRIMARY KEY (model, version)
    ) STRICT;
    CREATE TABLE guides (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        models TEXT NOT NULL,
        body TEXT NOT NULL,
        ref_seq INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX parts_ref ON parts(ref_seq);
    CREATE INDEX checklist_templates_ref ON checklist_templates(ref_seq);
    CREATE INDEX warranty_policies_ref ON warranty_policies(ref_seq);
    CREATE INDEX guides_ref ON guides(ref_seq);
    "#,
    // 9: van stock, a ledger per technician: parts into the van (issued) and out of it (used
    // on a job, returned); a serialized part moves a unit a line.
    r#"
    CREATE TABLE stock_moves (
        id INTEGER PRIMARY KEY,
        technician TEXT NOT NULL,
        sku TEXT NOT NULL,
        qty INTEGER NOT NULL,
        serial TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('issued', 'used', 'returned')),
        job_id BLOB,
        by TEXT NOT NULL,
        at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX stock_moves_van ON stock_moves(technician, id);
    CREATE INDEX stock_moves_serial ON stock_moves(sku, serial) WHERE serial IS NOT NULL;
    "#,
    // 10: a use voided on a job puts its parts back in the van, as a `voided` line; SQLite
    // cannot widen a CHECK in place, so the ledger is copied into a table that allows it.
    r#"
    CREATE TABLE stock_moves_v10 (
        id INTEGER PRIMARY KEY,
        technician TEXT NOT NULL,
        sku TEXT NOT NULL,
        qty INTEGER NOT NULL,
        serial TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('issued', 'used', 'returned', 'voided')),
        job_id BLOB,
        by TEXT NOT NULL,
        at TEXT NOT NULL
    ) STRICT;
    INSERT INTO stock_moves_v10 (id, technician, sku, qty, serial, kind, job_id, by, at)
        SELECT id, technician, sku, qty, serial, kind, job_id, by, at FROM stock_moves;
    DROP TABLE stock_moves;
    ALTER TABLE stock_moves_v10 RENAME TO stock_moves;
    CREATE INDEX stock_moves_van ON stock_moves(technician, id);
    CREATE INDEX stock_moves_serial ON stock_moves(sku, serial) WHERE serial IS NOT NULL;
    "#,
    // 11: parts requests filled at HQ (parts put into the van, or a dispatcher's word), one
    // row per request op; a request without a row is open.
    r#"
    CREATE TABLE parts_fills (
        request_op BLOB PRIMARY KEY REFERENCES ops(op_id),
        job_id BLOB NOT NULL,
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        how TEXT NOT NULL
    ) STRICT;
    CREATE INDEX parts_fills_job ON parts_fills(job_id);
    "#,
    // 12: the organisation's letterhead (one row), a reference record every laptop holds.
    r#"
    CREATE TABLE letterhead (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL,
        ref_seq INTEGER NOT NULL
    ) STRICT;
    "#,
    // 13: after the visit: complaints and inquiries with their history, the follow-up calls HQ
    // owes customers with each call made, and HQ's settings (a key each).
    r#"
    CREATE TABLE cases (
        seq INTEGER PRIMARY KEY,
        id BLOB NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('complaint', 'inquiry')),
        status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved')),
        source TEXT NOT NULL CHECK (source IN ('rating', 'follow_up', 'dispatcher')),
        subject TEXT NOT NULL,
        details TEXT,
        answer TEXT,
        customer_id BLOB,
        job_id BLOB,
        from_op BLOB UNIQUE,
        return_job_id BLOB,
        opened_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX cases_kind ON cases(kind, status, seq);
    CREATE INDEX cases_job ON cases(job_id);
    CREATE TABLE case_notes (
        id INTEGER PRIMARY KEY,
        case_id BLOB NOT NULL REFERENCES cases(id),
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        text TEXT,
        status TEXT
    ) STRICT;
    CREATE INDEX case_notes_case ON case_notes(case_id, id);
    CREATE TABLE follow_ups (
        seq INTEGER PRIMARY KEY,
        id BLOB NOT NULL UNIQUE,
        job_id BLOB NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('installation', 'complaint')),
        case_id BLOB UNIQUE,
        due_on TEXT NOT NULL,
        call_time TEXT,
        tries INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL CHECK (state IN ('due', 'done', 'unanswered')),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX follow_ups_installation ON follow_ups(job_id) WHERE reason = 'installation';
    CREATE INDEX follow_ups_due ON follow_ups(state, due_on, seq);
    CREATE TABLE follow_up_calls (
        id INTEGER PRIMARY KEY,
        follow_up_id BLOB NOT NULL REFERENCES follow_ups(id),
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        outcome TEXT NOT NULL,
        note TEXT
    ) STRICT;
    CREATE INDEX follow_up_calls_of ON follow_up_calls(follow_up_id, id);
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;
    -- Applied ops by kind: ratings, decisions and requests are read by kind across all jobs.
    CREATE INDEX ops_applied_kind ON ops(json_extract(body, '$.kind'), seq)
        WHERE outcome = 'applied';
    "#,
    // 14: the mail outbox: one thank-you letter per signed job, written when the sign-off
    // arrives, with where it stands and when to try again.
    r#"
    CREATE TABLE letters (
        seq INTEGER PRIMARY KEY,
        id BLOB NOT NULL UNIQUE,
        job_id BLOB NOT NULL UNIQUE,
        to_address TEXT,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN
            ('waiting', 'sending', 'sent', 'unconfirmed', 'failed', 'no_address')),
        tries INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    ) STRICT;
    CREATE INDEX letters_state ON letters(state, next_attempt_at);
    "#,
    // 15: the labour price list (one row), a reference record every laptop holds to price
    // chargeable work on its reports.
    r#"
    CREATE TABLE labour_prices (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL,
        ref_seq INTEGER NOT NULL
    ) STRICT;
    "#,
    // 16: console sessions: a dispatcher's or admin's browser, known by the hash of its cookie,
    // ending when idle, at its lifetime, on sign-out, or with its account.
    r#"
    CREATE TABLE console_sessions (
        id INTEGER PRIMARY KEY,
        user_id BLOB NOT NULL REFERENCES users(id),
        token_hash BLOB NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        ended_at TEXT,
        ended_why TEXT
    ) STRICT;
    CREATE INDEX console_sessions_user ON console_sessions(user_id) WHERE ended_at IS NULL;
    CREATE INDEX console_sessions_created ON console_sessions(created_at);
    "#,
    // 17: a site's coordinates, when the import gives them, so a suggestion can say how far
    // a technician is from it.
    r#"
    ALTER TABLE sites ADD COLUMN lat REAL;
    ALTER TABLE sites ADD COLUMN lon REAL;
    "#,
    // 18: the generation of a technician's calendar address: renewing it makes every earlier
    // address stop working (the token is derived from it, nothing secret is stored).
    r#"
    ALTER TABLE users ADD COLUMN calendar_generation INTEGER NOT NULL DEFAULT 0;
    "#,
    // 19: when a letter was taken to be sent, so a starting HQ tells one left by a stop from
    // one another process on a shared database is handing over right now.
    r#"
    ALTER TABLE letters ADD COLUMN claimed_at TEXT;
    "#,
    // 20: failed logins counted by key (an address, a user at an address, a user), each in a
    // window from its first attempt, so processes sharing a database share one throttle.
    r#"
    CREATE TABLE login_failures (
        key TEXT PRIMARY KEY,
        started TEXT NOT NULL,
        count INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX login_failures_started ON login_failures(started);
    "#,
];

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_validate() {
        onsite_sqlite::validate(super::MIGRATIONS).unwrap();
    }
}
