//! Passwords: argon2id hashes (PHC strings), and checking a login's password without letting a
//! flood of logins take HQ's memory or CPU.
//!
//! One check fills 19 MiB of argon2 memory and a core for tens of milliseconds. Checks run on
//! the blocking pool, at most [`Checker::capacity`] at once, each in one of as many memory
//! areas allocated once and reused: memory stays flat however many logins arrive. A login
//! that finds every slot taken waits a moment, then is told HQ is busy.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

/// Most password checks run at once, whatever the core count: each holds 19 MiB.
pub const MAX_CONCURRENT_CHECKS: usize = 4;
/// How long a login waits for a free check before HQ says it is busy.
pub const CHECK_WAIT: Duration = Duration::from_secs(3);

/// Hashes a password with argon2id and a random salt (PHC string).
///
/// # Errors
/// When argon2 fails (it does not for valid parameters), as text.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Every slot was taken for [`CHECK_WAIT`]: HQ is busy checking other logins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("HQ is busy checking other logins; try again in a moment")]
pub struct Busy;

/// Checks passwords, a bounded number at a time, in reused memory.
pub struct Checker {
    slots: Semaphore,
    memory: Mutex<Vec<Vec<Block>>>,
    capacity: usize,
    wait: Duration,
    running: AtomicUsize,
    peak: AtomicUsize,
}

impl Checker {
    /// A checker running at most `capacity` checks at once (at least one), waiting at most
    /// `wait` for a slot.
    pub fn new(capacity: usize, wait: Duration) -> Self {
        let capacity = capacity.max(1);
        Self {
            slots: Semaphore::new(capacity),
            memory: Mutex::new(Vec::new()),
            capacity,
            wait,
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// As many slots as cores, up to [`MAX_CONCURRENT_CHECKS`].
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self::new(cores.min(MAX_CONCURRENT_CHECKS), CHECK_WAIT)
    }

    /// How many checks may run at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The most checks that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Whether `password` matches the PHC string `stored`; with `None` (no such user) it
    /// spends the same work on a dummy hash and answers false, so an unknown username cannot
    /// be told from a wrong password by timing. A malformed hash never matches.
    ///
    /// # Errors
    /// [`Busy`] when no slot freed up within the wait.
    pub async fn check(
        self: &std::sync::Arc<Self>,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, Busy> {
        let permit = tokio::time::timeout(self.wait, self.slots.acquire())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        let this = self.clone();
        let verdict = tokio::task::spawn_blocking(move || {
            let running = this.running.fetch_add(1, Ordering::Relaxed) + 1;
            this.peak.fetch_max(running, Ordering::Relaxed);
            let mut memory = this.take_memory();
            let verdict = match &stored {
                Some(phc) => verify(&password, phc, &mut memory),
                None => {
                    let _ = verify(&password, dummy(), &mut memory);
                    false
                }
            };
            this.give_back(memory);
            this.running.fetch_sub(1, Ordering::Relaxed);
            verdict
        })
        .await
        // A panicking check is a failed check; it never admits anyone.
        .unwrap_or(false);
        drop(permit);
        Ok(verdict)
    }

    fn take_memory(&self) -> Vec<Block> {
        self.memory
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default()
    }

    fn give_back(&self, memory: Vec<Block>) {
        let mut pool = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        // At most one area per slot is ever kept: the pool cannot grow past the capacity.
        if pool.len() < self.capacity {
            pool.push(memory);
        }
    }
}

/// The hash an unknown username is checked against.
fn dummy() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("onsite-dummy-password").unwrap_or_default())
}

/// Checks `password` against the PHC string `phc`, computing in `memory` (grown to the
/// hash's parameters the first time, then reused).
fn verify(password: &str, phc: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(algorithm), Some(expected), Some(salt)) =
        (Algorithm::try_from(hash.algorithm), hash.hash, hash.salt)
    else {
        return false;
    };
    let version = match hash.version.map(Version::try_from) {
        Some(Ok(v)) => v,
        None => Version::default(),
        Some(Err(_)) => return false,
    };
    let Ok(params) = Params::try_from(&hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params);
    if argon
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
        .is_err()
    {
        return false;
    }
    out.ct_eq(expected.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn passwords_check_only_when_right() {
        let phc = hash_password("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        let checker = Arc::new(Checker::new(2, CHECK_WAIT));
        let cases = [
            ("correct horse", Some(phc.clone()), true),
            ("wrong horse", Some(phc.clone()), false),
            ("correct horse", Some("not a hash".to_string()), false),
            ("correct horse", None, false),
            ("", Some(phc.clone()), false),
        ];
        for (password, stored, expected) in cases {
            let verdict = checker.check(password.into(), stored.clone()).await;
            assert_eq!(verdict, Ok(expected), "{password:?} against {stored:?}");
        }
        assert!(
            checker.memory.lock().unwrap().len() <= 2,
            "memory areas are reused, never more than the slots"
        );
    }

    /// With every slot held, a check waits for the wait and then says HQ is busy; once a slot
    /// frees, checks run again.
    #[tokio::test]
    async fn a_full_checker_says_busy_instead_of_piling_up() {
        let checker = Arc::new(Checker::new(1, Duration::from_millis(50)));
        let held = checker.slots.acquire().await.unwrap();
        let verdict = checker.check("x".into(), None).await;
        assert_eq!(verdict, Err(Busy));
        drop(held);
        assert_eq!(checker.check("x".into(), None).await, Ok(false));
    }

    /// However many logins arrive at once, no more than the capacity are computed together:
    /// the memory pool never holds more areas than slots.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flood_of_checks_keeps_to_the_capacity() {
        let checker = Arc::new(Checker::new(2, Duration::from_secs(60)));
        let phc = hash_password("pw").unwrap();
        let flood: Vec<_> = (0..12)
            .map(|_| {
                let c = checker.clone();
                let phc = phc.clone();
                tokio::spawn(async move { c.check("guess".into(), Some(phc)).await })
            })
            .collect();
        for f in flood {
            assert_eq!(f.await.unwrap(), Ok(false));
        }
        assert_eq!(checker.slots.available_permits(), 2);
        let peak = checker.peak();
        assert!(
            (1..=2).contains(&peak),
            "12 checks at once ran {peak} at a time"
        );
        assert!(checker.memory.lock().unwrap().len() <= 2);
    }
}
