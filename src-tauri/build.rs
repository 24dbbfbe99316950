//! Embeds the built UI and declares the app's commands, so capabilities can grant exactly them.

/// Every command the UI may call; `capabilities/default.json` grants each one.
const COMMANDS: &[&str] = &[
    "status",
    "probe_hq",
    "login",
    "logout",
    "jobs",
    "count_jobs",
    "job",
    "sync_now",
    "sync_state",
    "ui_ready",
    "record",
    "attach_photo",
    "sign_off",
    "withdraw",
    "outbox",
    "attachment",
    "van_stock",
    "parts",
    "warranty",
    "decide",
    "guides",
    "ready",
];

fn main() {
    println!("cargo:rerun-if-changed=../ui/dist");
    let embeds_ui = std::env::var_os("CARGO_FEATURE_CUSTOM_PROTOCOL").is_some();
    if embeds_ui && !std::path::Path::new("../ui/dist/index.html").exists() {
        panic!(
            "the UI is not built yet: run `npm --prefix ui ci && npm --prefix ui run build` \
             (./scripts/test and ./scripts/demo do this)"
        );
    }
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build step");
}
