//! Operations: each change a technician records on the device, as it travels to HQ. An op
//! carries its own id (HQ's idempotency key), the device, the job, a hybrid logical clock stamp
//! and the change itself. [`MERGE_RULES`] says how HQ merges each kind with what it has.

use crate::checklist::{AnswerValue, TemplateRef};
use crate::hlc::Hlc;
use crate::ids::{DeviceId, JobId, OpId};
use crate::model::string_enum;
use crate::push::Reason;
use crate::signoff::{self, BlobRef, CallTime};
use crate::status::{Actor, JobStatus, TRANSITIONS};
use crate::warranty::{FaultCategory, Remedy, WarrantyFacts, WarrantyRule};
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

string_enum!(
    /// The kinds of op a technician may send; anything else is refused.
    OpKind {
        /// The job moves along its life cycle.
        Status => "status",
        /// A free-text note.
        Note => "note",
        /// A photo or other file, by content hash.
        Attachment => "attachment",
        /// Work started on site.
        WorkStarted => "work_started",
        /// Work stopped on site.
        WorkStopped => "work_stopped",
        /// The customer's contact phone, corrected.
        ContactPhone => "contact_phone",
        /// The asset's serial number, corrected.
        AssetSerial => "asset_serial",
        /// The checklist versions the job keeps, fixed when work on it starts.
        ChecklistPinned => "checklist_pinned",
        /// An answer to one checklist item.
        ChecklistAnswer => "checklist_answer",
        /// Parts from the van used on the job.
        PartUsed => "part_used",
        /// A warranty decision: what is done about a fault, and the rule that allows it.
        WarrantyDecided => "warranty_decided",
        /// A correction: an earlier part use or decision recorded by mistake.
        Voided => "voided",
        /// Parts the job waits for.
        PartsRequested => "parts_requested",
        /// The customer signed the service report.
        SignedOff => "signed_off",
        /// The customer's opinion of the product and the service.
        Rated => "rated",
    }
);

/// What an op changes. On the wire the variant is the `kind` field beside its own fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Change {
    /// The technician moves the job to `to`.
    Status {
        /// The status entered.
        to: JobStatus,
    },
    /// A note about the visit.
    Note {
        /// The note.
        text: String,
    },
    /// A file attached to the job; its bytes are uploaded separately, addressed by `sha256`.
    Attachment {
        /// Lower-case hex SHA-256 of the content.
        sha256: String,
        /// The file's name on the device, for people.
        file_name: String,
        /// Media type, e.g. `image/jpeg`.
        media_type: String,
        /// Size of the content.
        bytes: u64,
        /// What the photo shows, in the technician's words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caption: Option<String>,
    },
    /// Work on site started at `at` (device time, as recorded).
    WorkStarted {
        /// When.
        at: DateTime<Utc>,
    },
    /// Work on site stopped at `at`.
    WorkStopped {
        /// When.
        at: DateTime<Utc>,
    },
    /// The customer's contact phone, as the technician corrected it.
    ContactPhone {
        /// The new number.
        phone: String,
    },
    /// The asset's serial number, as read on the product.
    AssetSerial {
        /// The new serial.
        serial: String,
    },
    /// The checklist template versions the job keeps from now on, recorded when work on it
    /// starts: a newer version HQ imports later applies only to jobs not started yet. The
    /// earliest pin (by HLC) counts; empty when no checklist applied.
    ChecklistPinned {
        /// The versions pinned, by template key.
        templates: Vec<TemplateRef>,
    },
    /// An answer to one item of a pinned checklist. Each item's latest answer (by HLC) counts;
    /// every earlier one is kept.
    ChecklistAnswer {
        /// The template, at the version the job pinned.
        template: TemplateRef,
        /// The item's key.
        item: String,
        /// The answer.
        #[cfg_attr(feature = "ts", ts(type = "boolean | number | string"))]
        value: AnswerValue,
    },
    /// Parts taken from the van and used on the job: they leave the van's stock when the op
    /// reaches HQ. A serialized part is one unit with its serial.
    PartUsed {
        /// The part.
        sku: String,
        /// Units used.
        qty: u32,
        /// The unit's serial, for a serialized part.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        serial: Option<String>,
        /// The serial of the faulty part it replaced, when it had one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        removed_serial: Option<String>,
    },
    /// The warranty decision on a fault, with what it was decided on: the policy version, the
    /// facts and the rule. HQ decides again on its own facts; a different verdict is a
    /// conflict for a dispatcher.
    WarrantyDecided {
        /// The fault found.
        fault: FaultCategory,
        /// What is done.
        remedy: Remedy,
        /// The clause that allows it.
        rule: WarrantyRule,
        /// The policy version it was decided under.
        policy_version: u32,
        /// The asset's facts as the laptop held them.
        facts: WarrantyFacts,
        /// The day of the visit, the technician's local date.
        visit_on: NaiveDate,
        /// The facts were not enough (no start date): HQ reviews it.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        needs_review: bool,
        /// The technician's words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        note: Option<String>,
        /// For `replace`: the new unit's serial, which becomes the asset's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        replacement_serial: Option<String>,
        /// For `return` and `replace`: the reference the faulty unit travels back under.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        return_ref: Option<String>,
    },
    /// Voids an earlier part use or warranty decision on the same job, recorded by mistake;
    /// both stay on record. A voided use puts its parts back in the van.
    Voided {
        /// The op voided.
        voids: OpId,
        /// Why, in the technician's words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        reason: Option<String>,
    },
    /// Parts the job waits for (the job is waiting for parts): dispatchers see open requests.
    PartsRequested {
        /// The part.
        sku: String,
        /// Units needed.
        qty: u32,
        /// What for, in the technician's words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        note: Option<String>,
    },
    /// The customer signed the service report on the laptop. The signed PDF (and the drawn
    /// signature) are uploaded before the op, named by hash: the hash binds the signature to
    /// the exact bytes the customer was shown. Every sign-off is kept; the latest counts.
    SignedOff {
        /// The exact PDF signed.
        report: BlobRef,
        /// The signer's printed name.
        signer: String,
        /// The drawn signature, PNG; none when the customer typed their name and ticked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        signature: Option<BlobRef>,
        /// When, by the laptop's clock (as printed on the report).
        signed_at: DateTime<Utc>,
    },
    /// The customer's opinion, given on the laptop in customer mode. Every rating is kept;
    /// the latest counts.
    Rated {
        /// 1 (very dissatisfied) to 5 (very satisfied).
        satisfaction: u8,
        /// "Would you recommend us?", 0 to 10.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        recommend: Option<u8>,
        /// Their words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        comment: Option<String>,
        /// What they complain of: opens a complaint at HQ.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        complaint: Option<String>,
        /// They agree to a follow-up call.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        call_ok: bool,
        /// When they would rather be called.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        call_time: Option<CallTime>,
    },
}

/// Most units one part use or request names.
pub const MAX_PART_QTY: u32 = 1_000;
/// Most templates a job pins.
pub const MAX_PINNED: usize = 50;
/// Longest decision note, void reason or request note, in characters.
pub const MAX_REMARK_CHARS: usize = 1_000;
/// Longest return reference, in characters.
pub const MAX_RETURN_REF_CHARS: usize = 40;

/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 10_000;
/// Largest attachment, in bytes. Phone photos are a few MB; this leaves room for a PDF.
pub const MAX_ATTACHMENT_BYTES: u64 = 25 * 1024 * 1024;
/// Media types an attachment may have.
pub const ATTACHMENT_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/heic",
    "image/webp",
    "application/pdf",
];
/// Longest corrected value (phone, serial), in characters.
pub const MAX_VALUE_CHARS: usize = 64;
/// Longest photo caption, in characters.
pub const MAX_CAPTION_CHARS: usize = 200;

/// Why an op cannot be accepted as it stands: its reason code and words for people.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct OpRejection {
    /// Stable reason code.
    pub reason: Reason,
    /// What is wrong, for people.
    pub message: String,
}

impl OpRejection {
    /// A rejection with `reason` and `message`.
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        Self {
            reason,
            message: message.into(),
        }
    }
}

fn invalid(message: impl Into<String>) -> OpRejection {
    OpRejection::new(Reason::InvalidValue, message)
}

/// The media type for a file name's extension, if attachments may have it.
pub fn media_type_for(file_name: &str) -> Option<&'static str> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "heic" => "image/heic",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        _ => return None,
    })
}

fn template_ref(t: &TemplateRef) -> Result<(), OpRejection> {
    crate::text::key("the checklist", &t.key).map_err(invalid)?;
    if !(1..=crate::reference::MAX_VERSION).contains(&t.version) {
        return Err(invalid(format!(
            "checklist {:?} has no version {}",
            t.key, t.version
        )));
    }
    Ok(())
}

fn quantity(qty: u32) -> Result<(), OpRejection> {
    if (1..=MAX_PART_QTY).contains(&qty) {
        Ok(())
    } else {
        Err(invalid(format!("qty must be 1 to {MAX_PART_QTY}")))
    }
}

/// A remark people type (a note on a decision, why a fact is voided): lines of text.
fn remark(what: &str, text: Option<&str>) -> Result<(), OpRejection> {
    let Some(text) = text else { return Ok(()) };
    if text.trim().is_empty()
        || text.chars().count() > MAX_REMARK_CHARS
        || text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(invalid(format!(
            "{what} must be 1 to {MAX_REMARK_CHARS} characters of text"
        )));
    }
    Ok(())
}

/// Whether `s` is a lower-case hex SHA-256.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Change {
    /// Checks the values the change carries, the same way on the device (before recording it)
    /// and at HQ (before merging it). Whether it fits the job's current state is judged
    /// separately.
    ///
    /// # Errors
    /// [`OpRejection`] with [`Reason::InvalidValue`] naming the field, or
    /// [`Reason::AttachmentTooLarge`].
    pub fn validate(&self) -> Result<(), OpRejection> {
        match self {
            Change::Status { to } => {
                let reachable = TRANSITIONS
                    .iter()
                    .any(|(_, t, actor)| t == to && *actor == Actor::Technician);
                if !reachable {
                    return Err(invalid(format!("a technician cannot set a job to {to}")));
                }
            }
            Change::Note { text } => {
                if text.trim().is_empty() {
                    return Err(invalid("the note is empty"));
                }
                let chars = text.chars().count();
                if chars > MAX_NOTE_CHARS {
                    return Err(invalid(format!(
                        "the note has {chars} characters; at most {MAX_NOTE_CHARS} are allowed"
                    )));
                }
            }
            Change::Attachment {
                sha256,
                file_name,
                media_type,
                bytes,
                caption,
            } => {
                if let Some(caption) = caption {
                    let chars = caption.chars().count();
                    if caption.trim().is_empty()
                        || chars > MAX_CAPTION_CHARS
                        || caption.chars().any(char::is_control)
                    {
                        return Err(invalid(format!(
                            "a caption must be 1 to {MAX_CAPTION_CHARS} characters on one line"
                        )));
                    }
                }
                if !is_sha256(sha256) {
                    return Err(invalid("sha256 must be 64 lower-case hex digits"));
                }
                if file_name.trim().is_empty()
                    || file_name.len() > 255
                    || file_name
                        .chars()
                        .any(|c| c.is_control() || c == '/' || c == '\\')
                {
                    return Err(invalid(
                        "file_name must be a plain file name of at most 255 bytes",
                    ));
                }
                if !ATTACHMENT_TYPES.contains(&media_type.as_str()) {
                    return Err(invalid(format!(
                        "media type {media_type:?} is not accepted; expected one of: {}",
                        ATTACHMENT_TYPES.join(", ")
                    )));
                }
                if *bytes == 0 {
                    return Err(invalid("the file is empty"));
                }
                if *bytes > MAX_ATTACHMENT_BYTES {
                    return Err(OpRejection::new(
                        Reason::AttachmentTooLarge,
                        format!(
                            "the file has {bytes} bytes; at most {MAX_ATTACHMENT_BYTES} are accepted"
                        ),
                    ));
                }
            }
            Change::WorkStarted { .. } | Change::WorkStopped { .. } => {}
            Change::ContactPhone { phone } => {
                let phone = phone.trim();
                let digits = phone.chars().filter(char::is_ascii_digit).count();
                let allowed = |c: char| c.is_ascii_digit() || " +-()./".contains(c);
                if digits < 3
                    || phone.chars().count() > MAX_VALUE_CHARS
                    || !phone.chars().all(allowed)
                {
                    return Err(invalid(format!(
                        "{phone:?} is not a phone number (digits, spaces and + - ( ) . / only)"
                    )));
                }
            }
            Change::AssetSerial { serial } => {
                let serial = serial.trim();
                if serial.is_empty()
                    || serial.chars().count() > MAX_VALUE_CHARS
                    || serial.chars().any(char::is_control)
                {
                    return Err(invalid(format!(
                        "the serial must be 1 to {MAX_VALUE_CHARS} printable characters"
                    )));
                }
            }
            Change::ChecklistPinned { templates } => {
                if templates.len() > MAX_PINNED {
                    return Err(invalid(format!(
                        "a job pins at most {MAX_PINNED} checklists"
                    )));
                }
                let mut keys = std::collections::HashSet::new();
                for t in templates {
                    template_ref(t)?;
                    if !keys.insert(t.key.as_str()) {
                        return Err(invalid(format!("checklist {:?} is pinned twice", t.key)));
                    }
                }
            }
            Change::ChecklistAnswer {
                template,
                item,
                value,
            } => {
                template_ref(template)?;
                crate::text::key("the item", item).map_err(invalid)?;
                match value {
                    AnswerValue::Number(n) if !n.is_finite() => {
                        return Err(invalid("a reading must be a number"));
                    }
                    AnswerValue::Text(t)
                        if t.trim().is_empty()
                            || t.chars().count() > crate::checklist::MAX_TEXT_ANSWER_CHARS =>
                    {
                        return Err(invalid(format!(
                            "a text answer has 1 to {} characters",
                            crate::checklist::MAX_TEXT_ANSWER_CHARS
                        )));
                    }
                    _ => {}
                }
            }
            Change::PartUsed {
                sku,
                qty,
                serial,
                removed_serial,
            } => {
                crate::part::validate_sku(sku).map_err(invalid)?;
                quantity(*qty)?;
                if serial.is_some() && *qty != 1 {
                    return Err(invalid("a part with a serial is one unit: qty must be 1"));
                }
                for s in [serial, removed_serial].into_iter().flatten() {
                    crate::stock::validate_serial(s).map_err(invalid)?;
                }
            }
            Change::WarrantyDecided {
                remedy,
                policy_version,
                note,
                replacement_serial,
                return_ref,
                ..
            } => {
                if !(1..=crate::reference::MAX_VERSION).contains(policy_version) {
                    return Err(invalid("policy_version is not a version HQ issues"));
                }
                remark("the note", note.as_deref())?;
                match (remedy, replacement_serial) {
                    (Remedy::Replace, None) => {
                        return Err(invalid("a replacement needs the new unit's serial"));
                    }
                    (Remedy::Replace, Some(s)) => {
                        crate::stock::validate_serial(s).map_err(invalid)?;
                    }
                    (_, Some(_)) => {
                        return Err(invalid("only a replacement has a replacement serial"));
                    }
                    (_, None) => {}
                }
                let travels = matches!(remedy, Remedy::Return | Remedy::Replace);
                match return_ref {
                    None if travels => {
                        return Err(invalid("a return or replacement needs a return reference"));
                    }
                    Some(_) if !travels => {
                        return Err(invalid(
                            "only a return or replacement has a return reference",
                        ));
                    }
                    Some(r)
                        if r.is_empty()
                            || r.chars().count() > MAX_RETURN_REF_CHARS
                            || !r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
                    {
                        return Err(invalid(format!(
                            "a return reference is 1 to {MAX_RETURN_REF_CHARS} of A-Z, 0-9 and -"
                        )));
                    }
                    _ => {}
                }
            }
            Change::Voided { reason, .. } => remark("the reason", reason.as_deref())?,
            Change::PartsRequested { sku, qty, note } => {
                crate::part::validate_sku(sku).map_err(invalid)?;
                quantity(*qty)?;
                remark("the note", note.as_deref())?;
            }
            Change::SignedOff {
                report,
                signer,
                signature,
                ..
            } => {
                signoff::validate_signer(signer).map_err(invalid)?;
                content("the report", report, MAX_ATTACHMENT_BYTES)?;
                if let Some(signature) = signature {
                    content("the signature", signature, signoff::MAX_SIGNATURE_BYTES)?;
                }
            }
            Change::Rated {
                satisfaction,
                recommend,
                comment,
                complaint,
                call_ok,
                call_time,
            } => {
                if !(1..=signoff::MAX_SATISFACTION).contains(satisfaction) {
                    return Err(invalid(format!(
                        "satisfaction must be 1 to {}",
                        signoff::MAX_SATISFACTION
                    )));
                }
                if recommend.is_some_and(|r| r > signoff::MAX_RECOMMEND) {
                    return Err(invalid(format!(
                        "recommend must be 0 to {}",
                        signoff::MAX_RECOMMEND
                    )));
                }
                signoff::validate_opinion("the comment", comment.as_deref()).map_err(invalid)?;
                signoff::validate_opinion("the complaint", complaint.as_deref())
                    .map_err(invalid)?;
                if call_time.is_some() && !call_ok {
                    return Err(invalid(
                        "a preferred call time needs the customer's consent to a call",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The change as it is recorded: text fields without surrounding blanks, and an empty
    /// caption as none. Every front end's input goes through this once, on the device.
    #[must_use]
    pub fn tidy(self) -> Change {
        let trim = |s: String| s.trim().to_string();
        match self {
            Change::Note { text } => Change::Note { text: trim(text) },
            Change::ContactPhone { phone } => Change::ContactPhone { phone: trim(phone) },
            Change::AssetSerial { serial } => Change::AssetSerial {
                serial: trim(serial),
            },
            Change::Attachment {
                sha256,
                file_name,
                media_type,
                bytes,
                caption,
            } => Change::Attachment {
                sha256,
                file_name,
                media_type,
                bytes,
                caption: caption.map(trim).filter(|c| !c.is_empty()),
            },
            Change::PartUsed {
                sku,
                qty,
                serial,
                removed_serial,
            } => Change::PartUsed {
                sku: trim(sku),
                qty,
                serial: serial.map(trim).filter(|s| !s.is_empty()),
                removed_serial: removed_serial.map(trim).filter(|s| !s.is_empty()),
            },
            Change::WarrantyDecided {
                fault,
                remedy,
                rule,
                policy_version,
                facts,
                visit_on,
                needs_review,
                note,
                replacement_serial,
                return_ref,
            } => Change::WarrantyDecided {
                fault,
                remedy,
                rule,
                policy_version,
                facts,
                visit_on,
                needs_review,
                note: note.map(trim).filter(|s| !s.is_empty()),
                replacement_serial: replacement_serial.map(trim).filter(|s| !s.is_empty()),
                return_ref,
            },
            Change::Voided { voids, reason } => Change::Voided {
                voids,
                reason: reason.map(trim).filter(|s| !s.is_empty()),
            },
            Change::PartsRequested { sku, qty, note } => Change::PartsRequested {
                sku: trim(sku),
                qty,
                note: note.map(trim).filter(|s| !s.is_empty()),
            },
            Change::SignedOff {
                report,
                signer,
                signature,
                signed_at,
            } => Change::SignedOff {
                report,
                signer: trim(signer),
                signature,
                signed_at,
            },
            Change::Rated {
                satisfaction,
                recommend,
                comment,
                complaint,
                call_ok,
                call_time,
            } => Change::Rated {
                satisfaction,
                recommend,
                comment: comment.map(trim).filter(|s| !s.is_empty()),
                complaint: complaint.map(trim).filter(|s| !s.is_empty()),
                call_ok,
                call_time,
            },
            Change::ChecklistAnswer {
                template,
                item,
                value: AnswerValue::Text(text),
            } => Change::ChecklistAnswer {
                template,
                item,
                value: AnswerValue::Text(trim(text)),
            },
            other => other,
        }
    }

    /// The kind of this change.
    pub fn kind(&self) -> OpKind {
        match self {
            Change::Status { .. } => OpKind::Status,
            Change::Note { .. } => OpKind::Note,
            Change::Attachment { .. } => OpKind::Attachment,
            Change::WorkStarted { .. } => OpKind::WorkStarted,
            Change::WorkStopped { .. } => OpKind::WorkStopped,
            Change::ContactPhone { .. } => OpKind::ContactPhone,
            Change::AssetSerial { .. } => OpKind::AssetSerial,
            Change::ChecklistPinned { .. } => OpKind::ChecklistPinned,
            Change::ChecklistAnswer { .. } => OpKind::ChecklistAnswer,
            Change::PartUsed { .. } => OpKind::PartUsed,
            Change::WarrantyDecided { .. } => OpKind::WarrantyDecided,
            Change::Voided { .. } => OpKind::Voided,
            Change::PartsRequested { .. } => OpKind::PartsRequested,
            Change::SignedOff { .. } => OpKind::SignedOff,
            Change::Rated { .. } => OpKind::Rated,
        }
    }

    /// Whether the change alters what the service report says: one recorded after a
    /// sign-off means the signed report no longer matches the job ("changed since signed").
    /// Moving the job along, pinning checklists, asking for parts, signing and rating do not.
    pub fn shows_on_report(&self) -> bool {
        match self.kind() {
            OpKind::Note
            | OpKind::WorkStarted
            | OpKind::WorkStopped
            | OpKind::ContactPhone
            | OpKind::AssetSerial
            | OpKind::ChecklistAnswer
            | OpKind::PartUsed
            | OpKind::WarrantyDecided
            | OpKind::Voided => true,
            // A photo shows; a document (a PDF) does not.
            OpKind::Attachment => matches!(
                self,
                Change::Attachment { media_type, .. } if media_type.starts_with("image/")
            ),
            OpKind::Status
            | OpKind::ChecklistPinned
            | OpKind::PartsRequested
            | OpKind::SignedOff
            | OpKind::Rated => false,
        }
    }

    /// The content this change names by hash, which HQ must hold in full before applying it.
    pub fn content(&self) -> Vec<BlobRef> {
        match self {
            Change::Attachment { sha256, bytes, .. } => vec![BlobRef {
                sha256: sha256.clone(),
                bytes: *bytes,
            }],
            Change::SignedOff {
                report, signature, ..
            } => std::iter::once(report.clone())
                .chain(signature.clone())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Checks content named by hash: a SHA-256, not empty, at most `max` bytes.
fn content(what: &str, blob: &BlobRef, max: u64) -> Result<(), OpRejection> {
    if !is_sha256(&blob.sha256) {
        return Err(invalid(format!(
            "{what}'s sha256 must be 64 lower-case hex digits"
        )));
    }
    if blob.bytes == 0 {
        return Err(invalid(format!("{what} is empty")));
    }
    if blob.bytes > max {
        return Err(OpRejection::new(
            Reason::AttachmentTooLarge,
            format!(
                "{what} has {} bytes; at most {max} are accepted",
                blob.bytes
            ),
        ));
    }
    Ok(())
}

/// One operation as the device sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Op {
    /// Minted on the device; the idempotency key.
    pub op_id: OpId,
    /// The device that recorded it.
    pub device_id: DeviceId,
    /// The job it concerns.
    pub job_id: JobId,
    /// When it was recorded, by the device's hybrid logical clock: this orders changes. Its
    /// wall part is no time to show people: after seeing a stamp from a clock that runs
    /// ahead, every clock's stamps follow it.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub hlc: Hlc,
    /// When the technician recorded it, by the device's own wall clock: the time people are
    /// shown. Absent from ops older devices sent, and dropped by HQ when it is further ahead
    /// of HQ's time than HQ tolerates; then the time HQ received it is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub recorded_at: Option<DateTime<Utc>>,
    /// What it changes.
    #[serde(flatten)]
    pub change: Change,
}

/// How HQ merges an op of some kind with what it already holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// A fact that only adds (notes, photos, time entries): never conflicts.
    AppendOnly,
    /// Follows the job status state machine; a move HQ's state does not allow is a conflict
    /// kept for a dispatcher.
    StateMachine,
    /// A correctable value: the later HLC wins and the other value is kept in history.
    LastWriterWins,
    /// One value per item (a checklist answer): each item's latest by HLC counts, and every
    /// earlier one is kept. Never conflicts.
    LatestPerItem,
    /// Fixed once: the earliest by HLC counts; later ones are kept and change nothing.
    FirstWins,
    /// A fact judged against HQ's own facts when it arrives (a warranty decision): a verdict
    /// that differs is a conflict for a dispatcher. A correction voids it; both are kept.
    Judged,
}

/// The merge rule of every op kind: the one table device and HQ follow.
pub const MERGE_RULES: &[(OpKind, Merge)] = &[
    (OpKind::Status, Merge::StateMachine),
    (OpKind::Note, Merge::AppendOnly),
    (OpKind::Attachment, Merge::AppendOnly),
    (OpKind::WorkStarted, Merge::AppendOnly),
    (OpKind::WorkStopped, Merge::AppendOnly),
    (OpKind::ContactPhone, Merge::LastWriterWins),
    (OpKind::AssetSerial, Merge::LastWriterWins),
    (OpKind::ChecklistPinned, Merge::FirstWins),
    (OpKind::ChecklistAnswer, Merge::LatestPerItem),
    (OpKind::PartUsed, Merge::AppendOnly),
    (OpKind::WarrantyDecided, Merge::Judged),
    (OpKind::Voided, Merge::AppendOnly),
    (OpKind::PartsRequested, Merge::AppendOnly),
    (OpKind::SignedOff, Merge::AppendOnly),
    (OpKind::Rated, Merge::AppendOnly),
];

impl OpKind {
    /// This kind's merge rule from [`MERGE_RULES`].
    pub fn merge(self) -> Merge {
        MERGE_RULES
            .iter()
            .find(|(kind, _)| *kind == self)
            .map(|(_, merge)| *merge)
            .expect("MERGE_RULES covers every kind (tested)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_rule() {
        for kind in OpKind::ALL {
            let rules = MERGE_RULES.iter().filter(|(k, _)| k == kind).count();
            assert_eq!(rules, 1, "{kind}");
        }
        assert_eq!(MERGE_RULES.len(), OpKind::ALL.len());
        assert_eq!(OpKind::ContactPhone.merge(), Merge::LastWriterWins);
    }

    #[test]
    fn a_change_knows_its_kind_by_its_wire_name() {
        let changes = [
            Change::Status {
                to: JobStatus::OnSite,
            },
            Change::Note { text: "x".into() },
            Change::Attachment {
                sha256: "ab".into(),
                file_name: "a.jpg".into(),
                media_type: "image/jpeg".into(),
                bytes: 1,
                caption: None,
            },
            Change::WorkStarted { at: Utc::now() },
            Change::WorkStopped { at: Utc::now() },
            Change::ContactPhone { phone: "1".into() },
            Change::AssetSerial { serial: "S".into() },
        ];
        for change in changes {
            let json = serde_json::to_value(&change).unwrap();
            assert_eq!(json["kind"], change.kind().as_str());
        }
    }

    #[test]
    fn values_are_checked_the_same_way_everywhere() {
        let ok = [
            Change::Status {
                to: JobStatus::Completed,
            },
            Change::Note {
                text: "Replaced seal".into(),
            },
            Change::ContactPhone {
                phone: "+44 (20) 7946-0999".into(),
            },
            Change::AssetSerial {
                serial: "HM3-42".into(),
            },
            Change::Attachment {
                sha256: "ab".repeat(32),
                file_name: "boiler.jpg".into(),
                media_type: "image/jpeg".into(),
                bytes: MAX_ATTACHMENT_BYTES,
                caption: Some("Boiler front panel, cover off".into()),
            },
        ];
        for change in ok {
            assert_eq!(change.validate(), Ok(()), "{change:?}");
        }
        let bad = [
            (
                Change::Status {
                    to: JobStatus::Cancelled,
                },
                Reason::InvalidValue,
            ),
            (Change::Note { text: " \n".into() }, Reason::InvalidValue),
            (
                Change::Note {
                    text: "x".repeat(MAX_NOTE_CHARS + 1),
                },
                Reason::InvalidValue,
            ),
            (
                Change::ContactPhone {
                    phone: "call me".into(),
                },
                Reason::InvalidValue,
            ),
            (
                Change::AssetSerial {
                    serial: "  ".into(),
                },
                Reason::InvalidValue,
            ),
            (
                Change::Attachment {
                    sha256: "AB".repeat(32),
                    file_name: "a.jpg".into(),
                    media_type: "image/jpeg".into(),
                    bytes: 1,
                    caption: None,
                },
                Reason::InvalidValue,
            ),
            (
                Change::Attachment {
                    sha256: "ab".repeat(32),
                    file_name: "../a.jpg".into(),
                    media_type: "image/jpeg".into(),
                    bytes: 1,
                    caption: None,
                },
                Reason::InvalidValue,
            ),
            (
                Change::Attachment {
                    sha256: "ab".repeat(32),
                    file_name: "a.exe".into(),
                    media_type: "application/x-msdownload".into(),
                    bytes: 1,
                    caption: None,
                },
                Reason::InvalidValue,
            ),
            (
                Change::Attachment {
                    sha256: "ab".repeat(32),
                    file_name: "a.jpg".into(),
                    media_type: "image/jpeg".into(),
                    bytes: MAX_ATTACHMENT_BYTES + 1,
                    caption: None,
                },
                Reason::AttachmentTooLarge,
            ),
            (
                Change::Attachment {
                    sha256: "ab".repeat(32),
                    file_name: "a.jpg".into(),
                    media_type: "image/jpeg".into(),
                    bytes: 1,
                    caption: Some("two\nlines".into()),
                },
                Reason::InvalidValue,
            ),
            (
                Change::Attachment {
                    sha256: "ab".repeat(32),
                    file_name: "a.jpg".into(),
                    media_type: "image/jpeg".into(),
                    bytes: 1,
                    caption: Some("x".repeat(MAX_CAPTION_CHARS + 1)),
                },
                Reason::InvalidValue,
            ),
        ];
        for (change, reason) in bad {
            let err = change.validate().unwrap_err();

            assert_eq!(err.reason, reason, "{change:?}");
            assert!(!err.message.is_empty());
        }
    }

    fn decided(remedy: Remedy, serial: Option<&str>, return_ref: Option<&str>) -> Change {
        Change::WarrantyDecided {
            fault: FaultCategory::Performance,
            remedy,
            rule: WarrantyRule::ReturnPeriod,
            policy_version: 1,
            facts: WarrantyFacts::default(),
            visit_on: "2026-12-01".parse().unwrap(),
            needs_review: false,
            note: None,
            replacement_serial: serial.map(str::to_string),
            return_ref: return_ref.map(str::to_string),
        }
    }

    #[test]
    fn visit_changes_are_checked_the_same_way_everywhere() {
        let boiler = TemplateRef {
            key: "boiler".into(),
            version: 1,
        };
        let answer = |value: AnswerValue| Change::ChecklistAnswer {
            template: boiler.clone(),
            item: "pressure".into(),
            value,
        };
        let part = |qty: u32, serial: Option<&str>| Change::PartUsed {
            sku: "SEAL-22".into(),
            qty,
            serial: serial.map(str::to_string),
            removed_serial: None,
        };
        let ok = [
            Change::ChecklistPinned { templates: vec![] },
            Change::ChecklistPinned {
                templates: vec![boiler.clone()],
            },
            answer(AnswerValue::Number(-3.5)),
            answer(AnswerValue::Bool(false)),
            answer(AnswerValue::Text("hot water".into())),
            part(1, Some("PU-1")),
            part(MAX_PART_QTY, None),
            decided(Remedy::Repair, None, None),
            decided(Remedy::Replace, Some("AS8-2"), Some("RMA-J-1-AB12")),
            decided(Remedy::Return, None, Some("RMA-J-1-AB12")),
            Change::Voided {
                voids: OpId::new(),
                reason: Some("wrong part\nsee note".into()),
            },
            Change::PartsRequested {
                sku: "PUMP-1".into(),
                qty: 2,
                note: None,
            },
        ];
        for change in ok {
            assert_eq!(change.validate(), Ok(()), "{change:?}");
        }
        let bad = [
            Change::ChecklistPinned {
                templates: vec![boiler.clone(), boiler.clone()],
            },
            Change::ChecklistPinned {
                templates: vec![TemplateRef {
                    key: "Boiler".into(),
                    version: 1,
                }],
            },
            Change::ChecklistPinned {
                templates: vec![TemplateRef {
                    key: "boiler".into(),
                    version: 0,
                }],
            },
            answer(AnswerValue::Number(f64::INFINITY)),
            answer(AnswerValue::Text("  ".into())),
            Change::ChecklistAnswer {
                template: boiler.clone(),
                item: "no spaces".into(),
                value: AnswerValue::Bool(true),
            },
            part(0, None),
            part(MAX_PART_QTY + 1, None),
            part(2, Some("PU-1")),
            Change::PartUsed {
                sku: "bad sku!".into(),
                qty: 1,
                serial: None,
                removed_serial: None,
            },
            decided(Remedy::Replace, None, Some("RMA-1")),
            decided(Remedy::Replace, Some("AS8-2"), None),
            decided(Remedy::Repair, Some("AS8-2"), None),
            decided(Remedy::Repair, None, Some("RMA-1")),
            decided(Remedy::Return, None, Some("RMA 1")),
            Change::Voided {
                voids: OpId::new(),
                reason: Some("x".repeat(MAX_REMARK_CHARS + 1)),
            },
            Change::PartsRequested {
                sku: "PUMP-1".into(),
                qty: 0,
                note: None,
            },
        ];
        for change in bad {
            let err = change.validate().unwrap_err();
            assert_eq!(err.reason, Reason::InvalidValue, "{change:?}");
            assert!(!err.message.is_empty());
        }
    }

    #[test]
    fn tidying_trims_what_people_type_and_nothing_else() {
        let cases = [
            (
                Change::Note {
                    text: "  Seal replaced \n".into(),
                },
                Change::Note {
                    text: "Seal replaced".into(),
                },
            ),
            (
                Change::ContactPhone {
                    phone: " 0113 496 0000 ".into(),
                },
                Change::ContactPhone {
                    phone: "0113 496 0000".into(),
                },
            ),
            (
                Change::AssetSerial {
                    serial: "\tHM3-1 ".into(),
                },
                Change::AssetSerial {
                    serial: "HM3-1".into(),
                },
            ),
            (
                Change::Status {
                    to: JobStatus::OnSite,
                },
                Change::Status {
                    to: JobStatus::OnSite,
                },
            ),
        ];
        for (given, tidied) in cases {
            assert_eq!(given.tidy(), tidied);
        }
        let photo = |caption: Option<&str>| Change::Attachment {
            sha256: "ab".repeat(32),
            file_name: "a.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: 1,
            caption: caption.map(str::to_string),
        };
        assert_eq!(photo(Some("  ")).tidy(), photo(None));
        assert_eq!(photo(Some(" Label ")).tidy(), photo(Some("Label")));
    }

    #[test]
    fn media_types_come_from_the_extension() {
        assert_eq!(media_type_for("IMG_001.JPG"), Some("image/jpeg"));
        assert_eq!(media_type_for("report.pdf"), Some("application/pdf"));
        assert_eq!(media_type_for("notes.txt"), None);
        assert_eq!(media_type_for("noextension"), None);
    }

    fn signed(signer: &str, report_bytes: u64, signature: Option<u64>) -> Change {
        Change::SignedOff {
            report: BlobRef {
                sha256: "ab".repeat(32),
                bytes: report_bytes,
            },
            signer: signer.into(),
            signature: signature.map(|bytes| BlobRef {
                sha256: "cd".repeat(32),
                bytes,
            }),
            signed_at: Utc::now(),
        }
    }

    fn rated(satisfaction: u8, recommend: Option<u8>, call: (bool, Option<CallTime>)) -> Change {
        Change::Rated {
            satisfaction,
            recommend,
            comment: None,
            complaint: None,
            call_ok: call.0,
            call_time: call.1,
        }
    }

    #[test]
    fn sign_offs_and_ratings_are_checked_the_same_way_everywhere() {
        let cases = [
            (signed("Ann Lee", 30_000, Some(4_000)), None),
            (signed("Ann Lee", 30_000, None), None),
            (signed(" ", 30_000, None), Some(Reason::InvalidValue)),
            (signed("Ann\nLee", 30_000, None), Some(Reason::InvalidValue)),
            (
                signed(&"a".repeat(signoff::MAX_SIGNER_CHARS + 1), 1, None),
                Some(Reason::InvalidValue),
            ),
            (signed("Ann", 0, None), Some(Reason::InvalidValue)),
            (
                signed("Ann", MAX_ATTACHMENT_BYTES + 1, None),
                Some(Reason::AttachmentTooLarge),
            ),
            (
                signed("Ann", 1, Some(signoff::MAX_SIGNATURE_BYTES + 1)),
                Some(Reason::AttachmentTooLarge),
            ),
            (rated(1, None, (false, None)), None),
            (rated(5, Some(10), (true, Some(CallTime::Evening))), None),
            (rated(3, Some(0), (true, None)), None),
            (rated(0, None, (false, None)), Some(Reason::InvalidValue)),
            (rated(6, None, (false, None)), Some(Reason::InvalidValue)),
            (
                rated(4, Some(11), (false, None)),
                Some(Reason::InvalidValue),
            ),
            (
                rated(4, None, (false, Some(CallTime::Morning))),
                Some(Reason::InvalidValue),
            ),
            (
                Change::Rated {
                    satisfaction: 2,
                    recommend: None,
                    comment: None,
                    complaint: Some("x".repeat(signoff::MAX_OPINION_CHARS + 1)),
                    call_ok: false,
                    call_time: None,
                },
                Some(Reason::InvalidValue),
            ),
        ];
        for (change, refused) in cases {
            assert_eq!(
                change.validate().err().map(|r| r.reason),
                refused,
                "{change:?}"
            );
        }
        let mut bad_hash = signed("Ann", 1, None);
        if let Change::SignedOff { report, .. } = &mut bad_hash {
            report.sha256 = "AB".repeat(32);
        }
        assert!(bad_hash.validate().is_err());
    }

    #[test]
    fn what_the_report_shows_is_what_a_signature_covers() {
        let photo = |media_type: &str| Change::Attachment {
            sha256: "ab".repeat(32),
            file_name: "x".into(),
            media_type: media_type.into(),
            bytes: 1,
            caption: None,
        };
        let table = [
            (Change::Note { text: "x".into() }, true),
            (photo("image/jpeg"), true),
            (photo("application/pdf"), false),
            (Change::WorkStarted { at: Utc::now() }, true),
            (Change::WorkStopped { at: Utc::now() }, true),
            (Change::AssetSerial { serial: "S".into() }, true),
            (Change::ContactPhone { phone: "1".into() }, true),
            (
                Change::PartUsed {
                    sku: "P".into(),
                    qty: 1,
                    serial: None,
                    removed_serial: None,
                },
                true,
            ),
            (
                Change::Voided {
                    voids: OpId::new(),
                    reason: None,
                },
                true,
            ),
            (
                Change::Status {
                    to: JobStatus::Completed,
                },
                false,
            ),
            (Change::ChecklistPinned { templates: vec![] }, false),
            (
                Change::PartsRequested {
                    sku: "P".into(),
                    qty: 1,
                    note: None,
                },
                false,
            ),
            (signed("Ann", 1, None), false),
            (rated(4, None, (false, None)), false),
        ];
        for (change, shows) in table {
            assert_eq!(change.shows_on_report(), shows, "{change:?}");
        }
        assert_eq!(signed("Ann", 9, Some(3)).content().len(), 2);
        assert_eq!(photo("image/png").content()[0].bytes, 1);
        assert!(Change::Note { text: "x".into() }.content().is_empty());
    }
}
