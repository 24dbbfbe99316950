//! What the store's tests share: a store on a real file with one job, and builders of HQ's
//! records and pages.

pub use super::{JobQuery, JobSummary, OpState, OutboxEntry, OutgoingOp, Setting, Store};
pub use crate::error::Result;
pub use crate::warranty::Warranty;
pub use chrono::{DateTime, Utc};
pub use onsite_protocol::api::PullPage;
pub use onsite_protocol::push::{OpResult, RecordedOp};
pub use onsite_protocol::{
    Asset, AssetId, Change, Customer, CustomerId, DeviceId, HistoryEvent, Hlc, Job, JobId, JobKind,
    JobStatus, Op, OpId, Outcome, Priority, Reason, Site, SiteId, StatusChange,
};

pub const DEVICE: DeviceId = DeviceId(uuid::Uuid::from_u128(0xd1));

pub struct Fixture {
    pub store: Store,
    _dir: tempfile::TempDir,
    pub job: Job,
    pub customer: Customer,
    pub site: Site,
    pub asset: Asset,
}

pub fn now() -> DateTime<Utc> {
    "2026-11-23T12:00:00Z".parse().unwrap()
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("onsite.db")).unwrap();
    store
        .set_setting(Setting::DeviceId, Some(&DEVICE.to_string()))
        .unwrap();
    let customer = Customer {
        id: CustomerId::new(),
        name: "Ada".into(),
        phone: Some("555 0001".into()),
        email: None,
    };
    let site = Site {
        id: SiteId::new(),
        customer_id: customer.id,
        address: "1 Row".into(),
        town: None,
        access_notes: None,
    };
    let asset = Asset {
        id: AssetId::new(),
        customer_id: customer.id,
        site_id: Some(site.id),
        model: "HeatMax".into(),
        serial: Some("S-1".into()),
        purchased_on: None,
        installed_on: None,
        warranty_until: None,
    };
    let job = Job {
        id: JobId::new(),
        number: "J-1".into(),
        kind: JobKind::Repair,
        priority: Priority::Normal,
        summary: "Leak".into(),
        description: None,
        customer_id: customer.id,
        site_id: site.id,
        asset_id: Some(asset.id),
        technician: Some("tina".into()),
        scheduled_start: None,
        scheduled_end: None,
        sla_due: None,
        status: JobStatus::Assigned,
        version: 1,
        updated_at: now(),
    };
    let f = Fixture {
        store,
        _dir: dir,
        job,
        customer,
        site,
        asset,
    };
    f.store.apply_pull(&f.page(f.job.clone(), vec![])).unwrap();
    f
}

impl Fixture {
    pub fn page(&self, job: Job, ops: Vec<RecordedOp>) -> PullPage {
        PullPage {
            jobs: vec![job],
            customers: vec![self.customer.clone()],
            sites: vec![self.site.clone()],
            assets: vec![self.asset.clone()],
            ops,
            cursor: "c".into(),
            ..PullPage::default()
        }
    }

    pub fn record(&self, change: Change) -> Result<OutboxEntry> {
        self.store.record("J-1", change, DEVICE, now())
    }

    pub fn status(&self) -> JobStatus {
        self.store.jobs(&JobQuery::default(), now()).unwrap()[0].status
    }

    pub fn detail(&self) -> super::JobDetail {
        self.store
            .job_detail("J-1", now(), now().date_naive())
            .unwrap()
    }

    pub fn answer(
        &self,
        outcome: Outcome,
        reason: Option<Reason>,
    ) -> (Vec<OutgoingOp>, Vec<OpResult>) {
        let batch = self.store.outgoing(100, 1 << 20).unwrap();
        let results = batch
            .iter()
            .map(|o| OpResult {
                op_id: Some(o.op_id),
                outcome,
                first: None,
                reason,
                message: None,
            })
            .collect();
        (batch, results)
    }
}

pub fn hq_clock() -> Hlc {
    Hlc {
        wall: 0,
        counter: 0,
        node: DeviceId(uuid::Uuid::from_u128(1)),
    }
}

pub fn page_of(
    jobs: Vec<Job>,
    customer: &Customer,
    site: &Site,
    asset: Option<&Asset>,
    cursor: &str,
) -> PullPage {
    PullPage {
        jobs,
        removed: vec![],
        customers: vec![customer.clone()],
        sites: vec![site.clone()],
        assets: asset.into_iter().cloned().collect(),
        cursor: cursor.into(),
        ..PullPage::default()
    }
}

pub fn records() -> (Customer, Site, Asset) {
    let customer = Customer {
        id: CustomerId::new(),
        name: "Ada Lovelace".into(),
        phone: Some("+44 20".into()),
        email: None,
    };
    let site = Site {
        id: SiteId::new(),
        customer_id: customer.id,
        address: "12 Analytical Row".into(),
        town: Some("London".into()),
        access_notes: Some("Gate 1843".into()),
    };
    let asset = Asset {
        id: AssetId::new(),
        customer_id: customer.id,
        site_id: Some(site.id),
        model: "HeatMax 300".into(),
        serial: Some("HM3-42".into()),
        purchased_on: None,
        installed_on: None,
        warranty_until: Some("2027-01-01".parse().unwrap()),
    };
    (customer, site, asset)
}

pub fn job(number: &str, c: &Customer, s: &Site, a: Option<&Asset>, start: Option<&str>) -> Job {
    Job {
        id: JobId::new(),
        number: number.into(),
        kind: JobKind::Repair,
        priority: Priority::Normal,
        summary: "Leak".into(),
        description: None,
        customer_id: c.id,
        site_id: s.id,
        asset_id: a.map(|a| a.id),
        technician: Some("tina".into()),
        scheduled_start: start.map(|s| s.parse().unwrap()),
        scheduled_end: None,
        sla_due: None,
        status: JobStatus::Assigned,
        version: 1,
        updated_at: Utc::now(),
    }
}

impl Store {
    /// The jobs `q` matches, judged at the tests' fixed time.
    pub fn jobs_matching(&self, q: &JobQuery) -> Result<Vec<JobSummary>> {
        self.jobs(q, now())
    }
}

pub fn numbers(list: Vec<JobSummary>) -> Vec<String> {
    list.into_iter().map(|j| j.number).collect()
}

pub fn open() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (Store::open(&dir.path().join("onsite.db")).unwrap(), dir)
}
