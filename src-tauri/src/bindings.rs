//! The TypeScript declarations of everything that crosses IPC, generated from the Rust types
//! into `ui/src/lib/bindings.ts`. The test fails when the checked-in file is stale; run
//! `UPDATE_BINDINGS=1 cargo test -p onsite-desktop bindings` to rewrite it.

use onsite_core::{
    Activity, DeviceErrorCode, DeviceStatus, ErrorReport, HqProbe, JobDetail, JobQuery, JobRange,
    JobSummary, OpState, Outbox, OutboxEntry, Reachability, Sla, SyncPhase, SyncProgress,
    SyncState, Warranty, WorkTime,
};
use onsite_protocol::push::Settlement;
use onsite_protocol::{
    Asset, AssetId, Change, Customer, CustomerId, DeviceId, HistoryEvent, Job, JobId, JobKind,
    JobStatus, OpId, Priority, Reason, Resolution, Role, Site, SiteId, StatusChange, User, UserId,
};
use std::any::TypeId;
use std::collections::BTreeSet;
use ts_rs::{Config, TS};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/bindings.ts");

struct Declarations {
    cfg: Config,
    text: String,
    declared: BTreeSet<TypeId>,
    referenced: BTreeSet<(String, TypeId)>,
}

impl Declarations {
    fn add<T: TS + 'static>(&mut self) -> &mut Self {
        self.text.push_str("export ");
        self.text.push_str(&T::decl(&self.cfg));
        self.text.push_str("\n\n");
        self.declared.insert(TypeId::of::<T>());
        for dep in T::dependencies(&self.cfg) {
            self.referenced.insert((dep.ts_name, dep.type_id));
        }
        self
    }
}

fn generate() -> Declarations {
    let mut d = Declarations {
        // Every integer that crosses IPC fits a JavaScript number.
        cfg: Config::new().with_large_int("number"),
        text:
            "// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p onsite-desktop \
               bindings`.\n// Do not edit: change the Rust type and regenerate.\n\n"
                .to_string(),
        declared: BTreeSet::new(),
        referenced: BTreeSet::new(),
    };
    d.add::<JobId>()
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
        .add::<Change>()
        .add::<Reason>()
        .add::<Resolution>()
        .add::<Settlement>()
        .add::<OpState>()
        .add::<Activity>()
        .add::<OutboxEntry>()
        .add::<Outbox>()
        .add::<Sla>()
        .add::<Warranty>()
        .add::<WorkTime>()
        .add::<JobRange>()
        .add::<JobQuery>()
        .add::<JobSummary>()
        .add::<JobDetail>()
        .add::<DeviceStatus>()
        .add::<HqProbe>()
        .add::<SyncPhase>()
        .add::<SyncProgress>()
        .add::<Reachability>()
        .add::<SyncState>()
        .add::<DeviceErrorCode>()
        .add::<ErrorReport>();
    d
}

#[test]
fn bindings_are_complete_and_current() {
    let d = generate();
    let missing: Vec<_> = d
        .referenced
        .iter()
        .filter(|(_, id)| !d.declared.contains(id))
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "add these types to the bindings: {missing:?}"
    );
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(PATH, &d.text).expect("write bindings.ts");
    }
    let checked_in = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        checked_in == d.text,
        "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p onsite-desktop bindings`"
    );
}
