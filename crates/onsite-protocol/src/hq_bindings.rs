//! The TypeScript declarations of the HQ API's bodies (`ui/src/shared/hq-api.ts`), for any front
//! end that talks to HQ (the dispatcher console). The test fails when the checked-in file is
//! stale; `UPDATE_BINDINGS=1 cargo test -p onsite-protocol --features ts hq_bindings`
//! rewrites it.

use crate::api::*;
use crate::conflict::*;
use crate::push::*;
use crate::received::*;
use crate::typescript::Declarations;
use crate::*;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/shared/hq-api.ts");
const HOW: &str = "UPDATE_BINDINGS=1 cargo test -p onsite-protocol --features ts hq_bindings";

#[test]
fn hq_bindings_are_complete_and_current() {
    let mut d = Declarations::new(HOW);
    d.add_records()
        .add::<ErrorCode>()
        .add::<ApiError>()
        .add::<Health>()
        .add::<LoginRequest>()
        .add::<Tokens>()
        .add::<crate::board::BoardQuery>()
        .add::<crate::board::BoardTechnician>()
        .add::<crate::board::Board>()
        .add::<crate::board::ScheduleRequest>()
        .add::<ConsoleSignIn>()
        .add::<ConsoleSession>()
        .add::<CustomerInput>()
        .add::<SiteInput>()
        .add::<AssetInput>()
        .add::<JobInput>()
        .add::<JobPatch>()
        .add::<AssignRequest>()
        .add::<CancelRequest>()
        .add::<JobView>()
        .add::<JobListQuery>()
        .add::<JobList>()
        .add::<crate::checklist::TemplateRef>()
        .add::<crate::warranty::FaultCategory>()
        .add::<crate::warranty::Remedy>()
        .add::<crate::warranty::WarrantyRule>()
        .add::<crate::warranty::WarrantyFacts>()
        .add::<CaseId>()
        .add::<FollowUpId>()
        .add::<crate::cases::CaseKind>()
        .add::<crate::cases::CaseStatus>()
        .add::<crate::cases::CaseSource>()
        .add::<crate::cases::CaseNote>()
        .add::<crate::cases::CaseJob>()
        .add::<crate::cases::Case>()
        .add::<crate::cases::CaseInput>()
        .add::<crate::cases::CasePatch>()
        .add::<crate::cases::ReturnVisitInput>()
        .add::<crate::cases::ReturnVisit>()
        .add::<crate::cases::CaseList>()
        .add::<crate::feedback::CallOutcome>()
        .add::<crate::feedback::FollowUpReason>()
        .add::<crate::feedback::FollowUpState>()
        .add::<crate::feedback::Call>()
        .add::<crate::feedback::FollowUp>()
        .add::<crate::feedback::FollowUpList>()
        .add::<crate::feedback::OutcomeInput>()
        .add::<crate::feedback::FaultCount>()
        .add::<crate::feedback::FeedbackRow>()
        .add::<crate::feedback::FeedbackSummary>()
        .add::<LetterId>()
        .add::<crate::mail::LetterState>()
        .add::<crate::mail::Letter>()
        .add::<crate::mail::LetterList>()
        .add::<crate::mail::LetterTemplate>()
        .add::<crate::letterhead::Letterhead>()
        .add::<crate::labour::LabourPrices>()
        .add::<crate::settings::Settings>()
        .add::<crate::signoff::BlobRef>()
        .add::<crate::signoff::CallTime>()
        .add::<crate::signoff::SignOff>()
        .add::<crate::signoff::SignedReports>()
        .add::<Change>()
        .add::<Op>()
        .add::<Outcome>()
        .add::<Reason>()
        .add::<OpResult>()
        .add::<PushResponse>()
        .add::<Resolution>()
        .add::<Settlement>()
        .add::<RecordedOp>()
        .add::<ReplacedValue>()
        .add::<JobOps>()
        .add::<crate::push::JobOpsQuery>()
        .add::<ConflictView>()
        .add::<ConflictQuery>()
        .add::<ResolveRequest>()
        .add::<ReceivedOp>()
        .add::<ReceivedOpsQuery>()
        .add::<ReceivedOps>();
    d.check(PATH, HOW);
}
