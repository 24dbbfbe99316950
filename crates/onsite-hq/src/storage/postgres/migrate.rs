//! Bringing a database's schema up to this build's, once, however many HQ processes start at
//! the same moment.

use super::{Result, StorageError};
use tokio_postgres::Client;

/// The advisory lock held while migrating ("onsite" and 1): a second process starting at the
/// same time waits for the first to finish, then finds nothing left to do.
const MIGRATION_LOCK: i64 = 0x6f6e_7369_7465_0001;

/// Runs the migrations the database has not had yet, each in its own transaction, under
/// [`MIGRATION_LOCK`].
///
/// # Errors
/// [`StorageError::Open`] when the database has a schema newer than `migrations` knows (an
/// older build must not write to it) or a migration fails.
pub async fn to_latest(client: &mut Client, migrations: &[&str]) -> Result<()> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let applied = apply(client, migrations).await;
    // The lock is the session's: released here, or when the connection closes on any error.
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await?;
    applied
}

async fn apply(client: &mut Client, migrations: &[&str]) -> Result<()> {
    // Asked first rather than `IF NOT EXISTS`, whose notice would be logged at every start.
    let fresh: bool = client
        .query_one("SELECT to_regclass('onsite_schema') IS NULL", &[])
        .await?
        .get(0);
    if fresh {
        client
            .batch_execute(
                "CREATE TABLE onsite_schema (
                    version integer PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )",
            )
            .await?;
    }
    let current: i32 = client
        .query_one("SELECT coalesce(max(version), 0) FROM onsite_schema", &[])
        .await?
        .get(0);
    let known = migrations.len();
    let current = usize::try_from(current).unwrap_or(0);
    if current > known {
        return Err(StorageError::Open(format!(
            "the database's schema is at version {current}, newer than this build knows \
             ({known}): run the newer onsite-hq that migrated it"
        )));
    }
    for (index, sql) in migrations.iter().enumerate().skip(current) {
        let version = i32::try_from(index + 1).unwrap_or(i32::MAX);
        let tx = client.transaction().await?;
        tx.batch_execute(sql)
            .await
            .map_err(|e| StorageError::Open(format!("migration {version} failed: {e}")))?;
        tx.execute(
            "INSERT INTO onsite_schema (version) VALUES ($1)",
            &[&version],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// This installation's id and token key, made once by whichever process gets there first.
///
/// # Errors
/// [`StorageError::Open`] when the stored key is unreadable.
pub async fn identity(client: &mut Client) -> Result<(String, [u8; 32])> {
    let mut instance = [0u8; 16];
    let mut key = [0u8; 32];
    getrandom::fill(&mut instance)
        .and_then(|()| getrandom::fill(&mut key))
        .map_err(|e| StorageError::Open(format!("no randomness for the token key: {e}")))?;
    client
        .execute(
            "INSERT INTO meta (key, value) VALUES ('instance', $1), ('token_key', $2) \
             ON CONFLICT (key) DO NOTHING",
            &[&hex::encode(instance), &hex::encode(key)],
        )
        .await?;
    let rows = client
        .query(
            "SELECT key, value FROM meta WHERE key IN ('instance', 'token_key')",
            &[],
        )
        .await?;
    let value = |name: &str| {
        rows.iter()
            .find(|r| r.get::<_, &str>(0) == name)
            .map(|r| r.get::<_, String>(1))
    };
    let instance = value("instance")
        .ok_or_else(|| StorageError::Open("the installation id is missing".into()))?;
    let key = value("token_key")
        .and_then(|k| hex::decode(k).ok())
        .and_then(|k| <[u8; 32]>::try_from(k).ok())
        .ok_or_else(|| StorageError::Open("the stored token key is unreadable".into()))?;
    Ok((instance, key))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{empty_database, fresh};
    use super::super::{MIGRATIONS, PostgresStorage};
    use crate::storage::StorageError;

    async fn versions(url: &str) -> Vec<i32> {
        let storage = PostgresStorage::open(url).await.unwrap();
        let client = storage.connection().await.unwrap();
        client
            .query("SELECT version FROM onsite_schema ORDER BY version", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    #[tokio::test]
    async fn processes_starting_together_migrate_once() {
        let db = empty_database().await;
        let opened =
            futures_util::future::join_all((0..4).map(|_| PostgresStorage::open(&db.url))).await;
        let opened: Vec<PostgresStorage> = opened
            .into_iter()
            .map(|o| o.expect("every process opens"))
            .collect();
        let all: Vec<i32> = (1..=i32::try_from(MIGRATIONS.len()).unwrap()).collect();
        assert_eq!(versions(&db.url).await, all, "each migration ran once");
        assert!(
            opened.windows(2).all(|w| w[0].instance() == w[1].instance()
                && w[0].token_key() == w[1].token_key()),
            "one installation id and token key for every process"
        );
        drop(opened);
    }

    #[tokio::test]
    async fn a_newer_schema_is_refused_and_left_alone() {
        let (storage, db) = fresh().await;
        let client = storage.connection().await.unwrap();
        let newer = i32::try_from(MIGRATIONS.len()).unwrap() + 1;
        client
            .execute("INSERT INTO onsite_schema (version) VALUES ($1)", &[&newer])
            .await
            .unwrap();
        drop(client);
        match PostgresStorage::open(&db.url).await {
            Err(StorageError::Open(m)) => {
                assert!(m.contains(&format!("version {newer}, newer than")), "{m}");
            }
            other => panic!("{other:?}"),
        }
        let client = storage.connection().await.unwrap();
        let count: i64 = client
            .query_one("SELECT count(*) FROM onsite_schema", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(count, i64::from(newer), "nothing was undone");
    }

    #[tokio::test]
    async fn copies_of_the_template_are_installations_of_their_own() {
        let (a, _a) = fresh().await;
        let (b, _b) = fresh().await;
        assert_ne!(a.instance(), b.instance());
        assert_ne!(a.token_key(), b.token_key());
        assert_eq!(a.instance().len(), 32);
    }

    #[tokio::test]
    async fn a_bad_url_or_an_unreachable_server_is_an_open_error() {
        for url in ["not a url at all", "postgres://nobody@127.0.0.1:1/none"] {
            match PostgresStorage::open(url).await {
                Err(StorageError::Open(m)) => assert!(
                    m.contains("not valid") || m.contains("cannot reach"),
                    "{url}: {m}"
                ),
                other => panic!("{url}: {other:?}"),
            }
        }
    }
}
