//! Writing TypeScript declarations of wire types (with ts-rs), and checking a checked-in file
//! is current: what the desktop's IPC bindings and the HQ API's bindings are both made with.

use std::any::TypeId;
use std::collections::BTreeSet;
use ts_rs::{Config, TS};

/// Declarations gathered for one file, and what they refer to.
pub struct Declarations {
    cfg: Config,
    text: String,
    declared: BTreeSet<TypeId>,
    referenced: BTreeSet<(String, TypeId)>,
}

impl Declarations {
    /// An empty file that says how to regenerate it (`how`).
    pub fn new(how: &str) -> Self {
        Self {
            // Every integer on the wire fits a JavaScript number.
            cfg: Config::new().with_large_int("number"),
            text: format!(
                "// Generated from the Rust types by `{how}`.\n// Do not edit: change the Rust type and regenerate.\n\n"
            ),
            declared: BTreeSet::new(),
            referenced: BTreeSet::new(),
        }
    }

    /// Declares `T`.
    pub fn add<T: TS + 'static>(&mut self) -> &mut Self {
        self.text.push_str("export ");
        self.text.push_str(&T::decl(&self.cfg));
        self.text.push_str("\n\n");
        self.declared.insert(TypeId::of::<T>());
        for dep in T::dependencies(&self.cfg) {
            self.referenced.insert((dep.ts_name, dep.type_id));
        }
        self
    }

    /// Declares the ids and the domain records HQ owns, which every front end's wire types
    /// refer to.
    pub fn add_records(&mut self) -> &mut Self {
        use crate::*;
        self.add::<JobId>()
            .add::<CustomerId>()
            .add::<SiteId>()
            .add::<AssetId>()
            .add::<UserId>()
            .add::<DeviceId>()
            .add::<OpId>()
            .add::<Role>()
            .add::<JobKind>()
            .add::<JobStatus>()
            .add::<Priority>()
            .add::<User>()
            .add::<Customer>()
            .add::<Site>()
            .add::<Asset>()
            .add::<Job>()
            .add::<HistoryEvent>()
            .add::<StatusChange>()
    }

    /// Types a declaration refers to that the file does not declare.
    pub fn missing(&self) -> Vec<&str> {
        self.referenced
            .iter()
            .filter(|(_, id)| !self.declared.contains(id))
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Panics (a test failure) when the declarations refer to undeclared types or `path` does
    /// not hold exactly them; with `UPDATE_BINDINGS` set, rewrites `path` first.
    pub fn check(&self, path: &str, how: &str) {
        let missing = self.missing();
        assert!(
            missing.is_empty(),
            "add these types to the bindings: {missing:?}"
        );
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(path, &self.text).expect("write the bindings");
        }
        let checked_in = std::fs::read_to_string(path).unwrap_or_default();
        assert!(checked_in == self.text, "{path} is stale: run `{how}`");
    }
}
