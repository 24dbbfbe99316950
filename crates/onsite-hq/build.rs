//! Embeds the built console (`ui/dist-console`, made by `npm run build` in `ui/`) into HQ.
//! Without it, HQ still builds and serves a page saying the console was not built.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let ui = manifest.join("../../ui");
    let dist = ui.join("dist-console");
    let mut files = Vec::new();
    if dist.join("console.html").is_file() {
        println!("cargo::rerun-if-changed={}", dist.display());
        collect(&dist, &dist, &mut files);
        files.sort();
    } else if ui.is_dir() {
        // Not built: look again when something in ui/ appears (such as the built console).
        println!("cargo::rerun-if-changed={}", ui.display());
    }
    let mut code = String::from(
        "/// The built console's files: (path served at, content type, bytes).\n\
         pub static FILES: &[(&str, &str, &[u8])] = &[\n",
    );
    for (served, path) in &files {
        let _ = writeln!(
            code,
            "    ({served:?}, {:?}, include_bytes!({:?})),",
            content_type(path),
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("console_files.rs"), code).expect("write console_files.rs");
}

/// Every file under `dir`, with the path it is served at (`console.html` is the page at `/`).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read ui/dist-console")
        .map(|e| e.expect("read ui/dist-console").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, files);
            continue;
        }
        let relative = path
            .strip_prefix(root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        let served = if relative == "console.html" {
            "/".to_string()
        } else {
            format!("/{relative}")
        };
        let absolute = path.canonicalize().expect("canonical path");
        files.push((served, absolute));
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
