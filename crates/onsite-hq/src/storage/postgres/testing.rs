//! Fresh databases for tests, on the server `ONSITE_TEST_PG` names (`./scripts/test` starts
//! one). Each test gets its own database, copied from a migrated template (made once per
//! schema, by whichever test process gets there first), and dropped when its guard is.
//! Without `ONSITE_TEST_PG` the tests fail: a PostgreSQL test that skips would pass without
//! testing anything.

use super::{MIGRATIONS, PostgresStorage, connect};
use sha2::{Digest, Sha256};
use std::str::FromStr;

/// The advisory lock held while the template is made ("onsite" and 2).
const TEMPLATE_LOCK: i64 = 0x6f6e_7369_7465_0002;

/// The test server's URL.
///
/// # Panics
/// When `ONSITE_TEST_PG` is not set.
#[must_use]
pub fn server_url() -> String {
    std::env::var("ONSITE_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "ONSITE_TEST_PG is not set: run ./scripts/test, which starts a PostgreSQL server, \
             or set it to postgres://USER@HOST:PORT/postgres of a role that may create databases"
        )
    })
}

/// `url` with its database name replaced.
#[must_use]
pub fn url_of(url: &str, database: &str) -> String {
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

async fn admin() -> tokio_postgres::Client {
    let config = tokio_postgres::Config::from_str(&server_url()).expect("ONSITE_TEST_PG is a URL");
    connect(&config)
        .await
        .expect("the test PostgreSQL server answers")
}

/// The template's name: one per schema, so a changed migration list makes a new one.
fn template_name() -> String {
    let mut hash = Sha256::new();
    for m in MIGRATIONS {
        hash.update(m.as_bytes());
        hash.update([0]);
    }
    format!("onsite_template_{}", &hex::encode(hash.finalize())[..16])
}

async fn ensure_template(admin: &tokio_postgres::Client) -> String {
    let name = template_name();
    admin
        .execute("SELECT pg_advisory_lock($1)", &[&TEMPLATE_LOCK])
        .await
        .unwrap();
    let exists = admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await
        .unwrap()
        .is_some();
    if !exists {
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let storage = PostgresStorage::open(&url_of(&server_url(), &name))
            .await
            .expect("the template migrates");
        drop(storage);
        // Each copy makes its own installation id and token key when first opened.
        let config = tokio_postgres::Config::from_str(&url_of(&server_url(), &name)).unwrap();
        let template = connect(&config).await.unwrap();
        template
            .batch_execute("DELETE FROM meta WHERE key IN ('instance', 'token_key')")
            .await
            .unwrap();
        drop(template);
        admin
            .batch_execute(&format!(
                "ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true"
            ))
            .await
            .unwrap();
        // Closed connections end on their own time; a template in use cannot be copied.
        admin
            .execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1",
                &[&name],
            )
            .await
            .unwrap();
    }
    admin
        .execute("SELECT pg_advisory_unlock($1)", &[&TEMPLATE_LOCK])
        .await
        .unwrap();
    name
}

/// A database that is dropped, connections and all, when this is.
pub struct FreshDatabase {
    /// Its name.
    pub name: String,
    /// Its URL.
    pub url: String,
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime; the drop needs a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                admin()
                    .await
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

/// An empty database, with no schema at all.
pub async fn empty_database() -> FreshDatabase {
    let name = format!("onsite_test_{}", uuid::Uuid::now_v7().simple());
    admin()
        .await
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    FreshDatabase {
        url: url_of(&server_url(), &name),
        name,
    }
}

/// A migrated database of its own, copied from the template, and the storage on it.
pub async fn fresh() -> (PostgresStorage, FreshDatabase) {
    let admin = admin().await;
    let template = ensure_template(&admin).await;
    let name = format!("onsite_test_{}", uuid::Uuid::now_v7().simple());
    admin
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .unwrap();
    let database = FreshDatabase {
        url: url_of(&server_url(), &name),
        name,
    };
    let storage = PostgresStorage::open(&database.url).await.unwrap();
    (storage, database)
}
