//! HQ's PostgreSQL migrations. Append-only: never edit a shipped entry, add a new one. They
//! are the PostgreSQL engine's own list (the SQLite engine keeps its own): the first is the
//! schema the embedded store had reached when this engine was added, in PostgreSQL's types.
//!
//! Text a list is ordered or paged by (usernames and display names, job numbers, SKUs, part
//! names, serials, template keys, models, guide ids) is compared byte by byte (`COLLATE "C"`), as SQLite does, whatever locale the
//! database was created with.
//!
//! Positions that a reader keeps as a cursor or compares as a change mark (the feed's stamps,
//! ops, van stock lines, job events, reference records) take no default: the engine allocates
//! them from the one `position` counter row, whose row lock is held until commit, so they
//! become visible in increasing order (see `feed.rs`).

/// Every migration, in order; `onsite_schema` records those that have run.
pub const MIGRATIONS: &[&str] = &[
    // 1: everything the embedded store held at its 20th migration.
    r#"
    CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
    INSERT INTO meta (key, value) VALUES ('hlc', '');
    CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
    INSERT INTO counters (name, value) VALUES ('position', 0), ('job_number', 0);

    CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text COLLATE "C" NOT NULL UNIQUE,
        display_name text COLLATE "C" NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'dispatcher', 'technician')),
        skills text NOT NULL DEFAULT '[]',
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        disabled_at timestamptz,
        calendar_generation bigint NOT NULL DEFAULT 0
    );

    CREATE TABLE sessions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        device_id uuid NOT NULL,
        access_hash bytea NOT NULL UNIQUE,
        access_expires_at timestamptz NOT NULL,
        refresh_hash bytea NOT NULL UNIQUE,
        refresh_expires_at timestamptz NOT NULL,
        previous_refresh_hash bytea,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        rotated_at timestamptz,
        ended_why text CHECK (ended_why IN ('logout', 'revoked', 'disabled', 'reused'))
    );
    CREATE INDEX sessions_previous_refresh ON sessions(previous_refresh_hash);
    CREATE INDEX sessions_user_device ON sessions(user_id, device_id);
    CREATE INDEX sessions_device ON sessions(device_id);
    CREATE TABLE retired_refresh (
        hash bytea PRIMARY KEY,
        session_id bigint NOT NULL REFERENCES sessions(id),
        retired_at timestamptz NOT NULL
    );
    CREATE INDEX retired_refresh_session ON retired_refresh(session_id);

    CREATE TABLE customers (
        id uuid PRIMARY KEY,
        match_key text NOT NULL UNIQUE,
        name text NOT NULL,
        phone text,
        email text
    );
    CREATE TABLE sites (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers(id),
        match_key text NOT NULL UNIQUE,
        address text NOT NULL,
        town text,
        access_notes text,
        lat double precision,
        lon double precision
    );
    CREATE TABLE assets (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers(id),
        site_id uuid REFERENCES sites(id),
        match_key text NOT NULL UNIQUE,
        model text NOT NULL,
        serial text,
        purchased_on date,
        installed_on date,
        warranty_until date
    );
    CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        number text COLLATE "C" NOT NULL UNIQUE,
        kind text NOT NULL,
        priority text NOT NULL,
        summary text NOT NULL,
        description text,
        customer_id uuid NOT NULL REFERENCES customers(id),
        site_id uuid NOT NULL REFERENCES sites(id),
        asset_id uuid REFERENCES assets(id),
        technician text COLLATE "C" REFERENCES users(username),
        scheduled_start timestamptz,
        scheduled_end timestamptz,
        sla_due timestamptz,
        status text NOT NULL,
        version bigint NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
    );
    CREATE INDEX jobs_technician ON jobs(technician);
    CREATE INDEX jobs_customer ON jobs(customer_id);
    CREATE INDEX jobs_site ON jobs(site_id);
    CREATE INDEX jobs_asset ON jobs(asset_id);

    -- One row per (technician, job) that technician holds or held, stamped with the position
    -- of the latest change that concerns them, and the stamp before it.
    CREATE TABLE job_feed (
        technician text NOT NULL,
        job_id uuid NOT NULL,
        seq bigint NOT NULL,
        prev_seq bigint,
        PRIMARY KEY (technician, job_id)
    );
    CREATE UNIQUE INDEX job_feed_by_seq ON job_feed(technician, seq);

    CREATE TABLE job_events (
        id bigint PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs(id),
        at timestamptz NOT NULL,
        kind text NOT NULL,
        detail text,
        status text
    );
    CREATE INDEX job_events_job ON job_events(job_id);
    CREATE INDEX job_events_status ON job_events(job_id, id) WHERE status IS NOT NULL;

    CREATE TABLE ops (
        seq bigint PRIMARY KEY,
        op_id uuid UNIQUE,
        device_id uuid NOT NULL,
        username text NOT NULL,
        job_id uuid,
        hlc text,
        body text NOT NULL,
        received_at timestamptz NOT NULL,
        hq_hlc text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('applied', 'conflict', 'rejected')),
        reason text,
        message text,
        resolution text CHECK (resolution IN ('accept_device', 'keep_hq')),
        resolved_by text,
        resolved_at timestamptz,
        resolution_note text,
        changed_seq bigint NOT NULL DEFAULT 0
    );
    CREATE INDEX ops_job ON ops(job_id, seq);
    CREATE INDEX ops_open_conflicts ON ops(seq) WHERE outcome = 'conflict' AND resolution IS NULL;
    CREATE INDEX ops_job_changed ON ops(job_id, changed_seq);
    -- Applied ops by kind: ratings, decisions and requests are read by kind across all jobs.
    CREATE INDEX ops_applied_kind ON ops(((body::jsonb) ->> 'kind'), seq) WHERE outcome = 'applied';

    CREATE TABLE field_clocks (
        entity uuid NOT NULL,
        field text NOT NULL,
        hlc text NOT NULL,
        PRIMARY KEY (entity, field)
    );
    CREATE TABLE field_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        entity uuid NOT NULL,
        field text NOT NULL,
        value text,
        hlc text,
        by text,
        replaced_at timestamptz NOT NULL,
        op_id uuid
    );
    CREATE INDEX field_history_entity ON field_history(entity, id);
    CREATE TABLE device_clocks (
        device_id uuid PRIMARY KEY,
        username text NOT NULL,
        stamp text NOT NULL,
        ahead_ms bigint NOT NULL,
        seen_at timestamptz NOT NULL,
        count bigint NOT NULL
    );

    CREATE TABLE parts (
        sku text COLLATE "C" PRIMARY KEY,
        name text COLLATE "C" NOT NULL,
        unit_price_cents bigint NOT NULL,
        serialized boolean NOT NULL,
        models text NOT NULL,
        ref_seq bigint NOT NULL
    );
    CREATE TABLE checklist_templates (
        key text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        body text NOT NULL,
        ref_seq bigint NOT NULL,
        PRIMARY KEY (key, version)
    );
    CREATE TABLE warranty_policies (
        model text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        body text NOT NULL,
        ref_seq bigint NOT NULL,
        PRIMARY KEY (model, version)
    );
    CREATE TABLE guides (
        id text COLLATE "C" PRIMARY KEY,
        version bigint NOT NULL,
        title text NOT NULL,
        models text NOT NULL,
        body text NOT NULL,
        ref_seq bigint NOT NULL
    );
    CREATE INDEX parts_ref ON parts(ref_seq);
    CREATE INDEX checklist_templates_ref ON checklist_templates(ref_seq);
    CREATE INDEX warranty_policies_ref ON warranty_policies(ref_seq);
    CREATE INDEX guides_ref ON guides(ref_seq);
    CREATE TABLE letterhead (
        id integer PRIMARY KEY CHECK (id = 1),
        body text NOT NULL,
        ref_seq bigint NOT NULL
    );
    CREATE TABLE labour_prices (
        id integer PRIMARY KEY CHECK (id = 1),
        body text NOT NULL,
        ref_seq bigint NOT NULL
    );

    CREATE TABLE stock_moves (
        id bigint PRIMARY KEY,
        technician text NOT NULL,
        sku text COLLATE "C" NOT NULL,
        qty bigint NOT NULL,
        serial text COLLATE "C",
        kind text NOT NULL CHECK (kind IN ('issued', 'used', 'returned', 'voided')),
        job_id uuid,
        by text NOT NULL,
        at timestamptz NOT NULL
    );
    CREATE INDEX stock_moves_van ON stock_moves(technician, id);
    CREATE INDEX stock_moves_serial ON stock_moves(sku, serial) WHERE serial IS NOT NULL;
    CREATE TABLE parts_fills (
        request_op uuid PRIMARY KEY REFERENCES ops(op_id),
        job_id uuid NOT NULL,
        at timestamptz NOT NULL,
        by text NOT NULL,
        how text NOT NULL
    );
    CREATE INDEX parts_fills_job ON parts_fills(job_id);

    CREATE TABLE cases (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('complaint', 'inquiry')),
        status text NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved')),
        source text NOT NULL CHECK (source IN ('rating', 'follow_up', 'dispatcher')),
        subject text NOT NULL,
        details text,
        answer text,
        customer_id uuid,
        job_id uuid,
        from_op uuid UNIQUE,
        return_job_id uuid,
        opened_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
    );
    CREATE INDEX cases_kind ON cases(kind, status, seq);
    CREATE INDEX cases_job ON cases(job_id);
    CREATE TABLE case_notes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        at timestamptz NOT NULL,
        by text NOT NULL,
        text text,
        status text
    );
    CREATE INDEX case_notes_case ON case_notes(case_id, id);
    CREATE TABLE follow_ups (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        job_id uuid NOT NULL,
        reason text NOT NULL CHECK (reason IN ('installation', 'complaint')),
        case_id uuid UNIQUE,
        due_on date NOT NULL,
        call_time text,
        tries bigint NOT NULL DEFAULT 0,
        state text NOT NULL CHECK (state IN ('due', 'done', 'unanswered')),
        created_at timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX follow_ups_installation ON follow_ups(job_id) WHERE reason = 'installation';
    CREATE INDEX follow_ups_due ON follow_ups(state, due_on, seq);
    CREATE TABLE follow_up_calls (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        follow_up_id uuid NOT NULL REFERENCES follow_ups(id),
        at timestamptz NOT NULL,
        by text NOT NULL,
        outcome text NOT NULL,
        note text
    );
    CREATE INDEX follow_up_calls_of ON follow_up_calls(follow_up_id, id);
    CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);

    CREATE TABLE letters (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        job_id uuid NOT NULL UNIQUE,
        to_address text,
        subject text NOT NULL,
        body text NOT NULL,
        state text NOT NULL CHECK (state IN
            ('waiting', 'sending', 'sent', 'unconfirmed', 'failed', 'no_address')),
        tries bigint NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        -- When a process took it to send: another process starting must not take a letter
        -- being sent for one left behind by a stop.
        claimed_at timestamptz
    );
    CREATE INDEX letters_state ON letters(state, next_attempt_at);

    CREATE TABLE console_sessions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        ended_at timestamptz,
        ended_why text
    );
    CREATE INDEX console_sessions_user ON console_sessions(user_id) WHERE ended_at IS NULL;

    -- Failed logins by key, each in a window from its first attempt: one throttle for every
    -- process on the database.
    CREATE TABLE login_failures (
        key text PRIMARY KEY,
        started timestamptz NOT NULL,
        count bigint NOT NULL
    );
    CREATE INDEX login_failures_started ON login_failures(started);
    CREATE INDEX console_sessions_created ON console_sessions(created_at);
    "#,
];
