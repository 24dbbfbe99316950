//! The TypeScript declarations of everything that crosses IPC, generated from the Rust types
//! into `ui/src/lib/bindings.ts`. The test fails when the checked-in file is stale; run
//! `UPDATE_BINDINGS=1 cargo test -p onsite-desktop bindings` to rewrite it.

use onsite_core::{
    Activity, DeviceErrorCode, DeviceStatus, ErrorReport, HqLogout, HqProbe, JobDetail, JobQuery,
    JobRange, JobSummary, OpState, Outbox, OutboxEntry, Reachability, Sla, SyncPhase, SyncProgress,
    SyncState, Warranty, WorkTime,
};
use onsite_protocol::conflict::Settlement;
use onsite_protocol::typescript::Declarations;
use onsite_protocol::{Change, Reason, Resolution};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/bindings.ts");
const HOW: &str = "UPDATE_BINDINGS=1 cargo test -p onsite-desktop bindings";

fn generate() -> Declarations {
    let mut d = Declarations::new(HOW);
    d.add_records()
        .add::<onsite_protocol::checklist::TemplateRef>()
        .add::<onsite_protocol::warranty::FaultCategory>()
        .add::<onsite_protocol::warranty::Remedy>()
        .add::<onsite_protocol::warranty::WarrantyRule>()
        .add::<onsite_protocol::warranty::WarrantyFacts>()
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
        .add::<onsite_protocol::checklist::ItemType>()
        .add::<onsite_protocol::checklist::ChecklistItem>()
        .add::<onsite_protocol::checklist::ChecklistTemplate>()
        .add::<onsite_protocol::checklist::Missing>()
        .add::<onsite_core::ItemAnswer>()
        .add::<onsite_core::ChecklistSection>()
        .add::<onsite_core::Checklist>()
        .add::<onsite_protocol::visit::PartUse>()
        .add::<onsite_protocol::visit::Decision>()
        .add::<onsite_protocol::visit::PartsFill>()
        .add::<onsite_protocol::visit::PartsRequest>()
        .add::<onsite_protocol::mail::LetterState>()
        .add::<onsite_protocol::mail::LetterNotice>()
        .add::<onsite_protocol::signoff::BlobRef>()
        .add::<onsite_protocol::signoff::CallTime>()
        .add::<onsite_protocol::signoff::SignOff>()
        .add::<onsite_protocol::signoff::Rating>()
        .add::<onsite_core::UsedPart>()
        .add::<onsite_core::Visit>()
        .add::<onsite_protocol::visit::ServiceVisit>()
        .add::<onsite_protocol::part::Part>()
        .add::<onsite_protocol::guide::Guide>()
        .add::<onsite_core::VanLine>()
        .add::<onsite_protocol::warranty::WarrantyStart>()
        .add::<onsite_protocol::warranty::WarrantyPolicy>()
        .add::<onsite_protocol::warranty::WarrantyOption>()
        .add::<onsite_protocol::warranty::WarrantyOptions>()
        .add::<onsite_core::OfferedRemedy>()
        .add::<onsite_core::WarrantyChoice>()
        .add::<onsite_core::ready::JobReadiness>()
        .add::<onsite_core::ready::MissingPart>()
        .add::<onsite_core::ready::Readiness>()
        .add::<JobRange>()
        .add::<JobQuery>()
        .add::<JobSummary>()
        .add::<JobDetail>()
        .add::<DeviceStatus>()
        .add::<HqProbe>()
        .add::<HqLogout>()
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
    generate().check(PATH, HOW);
}
