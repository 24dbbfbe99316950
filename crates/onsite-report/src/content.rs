//! What a service report says, as plain data: every value already in the words and format
//! it is printed in (dates in the customer's time zone, prices with their currency), so that
//! drawing it is a pure function of this and the same report always gives the same bytes.

use serde::{Deserialize, Serialize};

/// A whole service report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Who sends it.
    pub company: Company,
    /// The job.
    pub job: JobFacts,
    /// The customer.
    pub customer: Customer,
    /// Where the work was done, a line each.
    pub site: Vec<String>,
    /// The product worked on, if the job has one.
    pub product: Option<Product>,
    /// What the technician wrote of the work done, oldest first.
    pub work_done: Vec<Note>,
    /// The checklists answered.
    pub checklists: Vec<ChecklistSection>,
    /// Parts used (voided uses left out).
    pub parts: Vec<PartLine>,
    /// The warranty decision that stands.
    pub decision: Option<DecisionFacts>,
    /// What the customer pays, when anything is chargeable.
    pub charges: Option<Charges>,
    /// Photos of the visit, shown as thumbnails.
    pub photos: Vec<Photo>,
    /// The customer's signature, once given.
    pub signature: Option<Signature>,
    /// When the report was made, as printed ("2 December 2026, 14:05").
    pub made_at: String,
}

/// The company the report is from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    /// Its name.
    pub name: String,
    /// Address, phone, e-mail: a line each, printed under the name.
    pub lines: Vec<String>,
    /// Its logo, PNG or JPEG.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<Vec<u8>>,
}

/// The job the report is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFacts {
    /// Its number (`J-000123`).
    pub number: String,
    /// Its kind, in words ("Repair").
    pub kind: String,
    /// What it was about.
    pub summary: String,
    /// What the customer reported, if more was said.
    pub reported: Option<String>,
    /// The technician's name.
    pub technician: String,
    /// The visit's date, as printed.
    pub visited: String,
    /// Time on site, as printed ("1 h 25 min").
    pub time_on_site: Option<String>,
    /// Where the job stands, in words ("Completed").
    pub status: String,
}

/// The customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

/// The product.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// Model.
    pub model: String,
    /// Serial.
    pub serial: Option<String>,
    /// Its warranty on the visit's date, in words ("In warranty until 6 January 2028").
    pub warranty: String,
}

/// A note the technician wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// When, as printed ("09:40").
    pub at: String,
    /// What.
    pub text: String,
}

/// One checklist and its answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistSection {
    /// Its title and version ("Boiler service, version 2").
    pub title: String,
    /// Its items, in order.
    pub items: Vec<ChecklistLine>,
}

/// One checklist item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistLine {
    /// What was checked.
    pub label: String,
    /// The answer as printed ("Yes", "1.8 bar", "See photo"), or none.
    pub answer: Option<String>,
    /// The reading is outside the item's allowed range.
    pub out_of_range: bool,
}

/// One part used.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartLine {
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Units.
    pub qty: u32,
    /// The fitted unit's serial.
    pub serial: Option<String>,
    /// The faulty part's serial, removed.
    pub removed_serial: Option<String>,
    /// Unit price, as printed ("£38.50"); none when not known.
    pub unit_price: Option<String>,
}

/// The warranty decision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionFacts {
    /// The remedy, in words ("Replacement").
    pub remedy: String,
    /// The fault, in words ("Performance fault").
    pub fault: String,
    /// The rule that allows it, in words.
    pub rule: String,
    /// The policy version decided under.
    pub policy_version: u32,
    /// What the technician wrote of it.
    #[serde(default)]
    pub note: Option<String>,
    /// The new unit's serial, for a replacement.
    pub replacement_serial: Option<String>,
    /// The faulty unit's return reference.
    pub return_ref: Option<String>,
}

/// What the customer pays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charges {
    /// Each charge and its amount, as printed.
    pub lines: Vec<(String, String)>,
    /// The total, as printed.
    pub total: String,
}

/// A photo of the visit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// Its content, JPEG or PNG.
    #[serde(skip)]
    pub content: Vec<u8>,
    /// Its caption, or its file name.
    pub caption: String,
}

/// The customer's sign-off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The signer's name, printed.
    pub signer: String,
    /// When, as printed.
    pub signed_at: String,
    /// What they drew, PNG; none when they signed by typing their name and ticking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Vec<u8>>,
}
