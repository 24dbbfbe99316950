//! Helpers shared by the benchmarks: one line per figure, medians of repeated runs.

use crate::PASSWORD;
use onsite_hq::storage::{NewUser, Storage};
use std::time::{Duration, Instant};

/// Adds technician `username` (password [`PASSWORD`]) straight into HQ's storage.
pub async fn add_technician(storage: &dyn Storage, username: &str) {
    add_user(storage, username, onsite_protocol::Role::Technician).await;
}

/// Adds `username` with `role` (password [`PASSWORD`]) straight into HQ's storage.
pub async fn add_user(storage: &dyn Storage, username: &str, role: onsite_protocol::Role) {
    let password_hash = onsite_hq::password::hash_password(PASSWORD).expect("hash the password");
    storage
        .add_user(
            NewUser {
                username: username.into(),
                display_name: username.into(),
                role,
                skills: vec![],
                password_hash,
            },
            chrono::Utc::now(),
        )
        .await
        .expect("add a user");
}

/// HQ in this process, on `127.0.0.1:0` over HTTPS, with its data in `data_dir`.
pub async fn serve(data_dir: &std::path::Path) -> onsite_hq::server::RunningHq {
    onsite_hq::server::start(onsite_hq::server::ServeConfig {
        data_dir: data_dir.to_path_buf(),
        database: None,
        blobs_dir: None,
        listen: "127.0.0.1:0".parse().expect("loopback address"),
        cert: onsite_hq::server::CertSource::SelfSigned,
        limits: onsite_hq::connections::ConnectionLimits::default(),
        mail: None,
    })
    .await
    .expect("start HQ")
}

/// Prints one figure beside its target.
pub fn report(name: &str, value: String, target: &str) {
    println!("{name:<52} {value:>26}   target {target}");
}

/// Median wall time in milliseconds of `runs` calls of `f` (given the run index).
pub fn median_ms(runs: usize, mut f: impl FnMut(usize)) -> f64 {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    samples.sort();
    samples[runs / 2].as_secs_f64() * 1e3
}

/// The median of `samples` (which it sorts).
pub fn median<T: Ord + Copy>(samples: &mut [T]) -> T {
    samples.sort();
    samples[samples.len() / 2]
}
