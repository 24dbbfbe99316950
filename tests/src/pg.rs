//! A fresh PostgreSQL database on the test server `ONSITE_TEST_PG` names (`./scripts/test`
//! starts one), dropped with every connection to it when the guard is. Without
//! `ONSITE_TEST_PG` a test that needs one fails: a skipped test would prove nothing.

/// A database of its own for one test.
pub struct FreshDatabase {
    name: String,
    /// `postgres://…/onsite_e2e_…`, for `--database`.
    pub url: String,
}

fn server() -> String {
    std::env::var("ONSITE_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "ONSITE_TEST_PG is not set: run ./scripts/test, which starts a PostgreSQL server, \
             or eval \"$(./scripts/test-postgres)\""
        )
    })
}

/// `url` naming `database` instead of the database it names.
fn with_database(url: &str, database: &str) -> String {
    let (address, query) = url.split_once('?').unwrap_or((url, ""));
    let (base, _) = address
        .rsplit_once('/')
        .expect("a URL ending in a database name");
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{base}/{database}{query}")
}

/// Runs one statement on the test server's own database, on a runtime of its own (so a guard
/// can drop inside or outside a test's runtime).
fn on_server(sql: String) {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&server(), tokio_postgres::NoTls)
                .await
                .expect("the test PostgreSQL server answers");
            tokio::spawn(connection);
            client.batch_execute(&sql).await
        })
    })
    .join()
    .expect("the statement ran")
    .expect("the test server did what was asked");
}

impl FreshDatabase {
    /// Creates an empty database; HQ migrates it when it first opens it.
    #[must_use]
    pub fn new() -> Self {
        let name = format!("onsite_e2e_{}", onsite_protocol::JobId::new().0.simple());
        on_server(format!("CREATE DATABASE {name}"));
        Self {
            url: with_database(&server(), &name),
            name,
        }
    }
}

impl Default for FreshDatabase {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        on_server(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}
