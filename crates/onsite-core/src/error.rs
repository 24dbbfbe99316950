//! The device's one error type. Each variant has a stable code (for the UI and scripts) and a
//! message written for the technician.

/// Everything that can go wrong on the device.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// No session: the user must log in.
    #[error("not logged in; log in to HQ first")]
    NotLoggedIn,
    /// HQ could not be reached (network down, HQ stopped, DNS, timeout).
    #[error("HQ at {url} is unreachable ({reason}); local data is still available")]
    HqUnreachable {
        /// HQ's address.
        url: String,
        /// What the network said.
        reason: String,
    },
    /// HQ presented a certificate other than the pinned one.
    #[error(
        "HQ's certificate fingerprint {presented} does not match the expected {expected}; \
         check the fingerprint with your dispatcher"
    )]
    FingerprintMismatch {
        /// The pinned fingerprint.
        expected: String,
        /// What HQ presented.
        presented: String,
    },
    /// HQ's certificate is not trusted and no fingerprint is pinned.
    #[error("HQ's certificate is not trusted ({reason}); pin its fingerprint to connect")]
    UntrustedCertificate {
        /// Why verification failed.
        reason: String,
    },
    /// Username or password wrong.
    #[error("wrong username or password")]
    InvalidCredentials,
    /// The account is a dispatcher's or an admin's: this app is the technicians'.
    #[error(
        "{name} is a {role} account, and Onsite on the laptop is for technicians. \
         Dispatchers and admins work at HQ ({hq}), not in this app. To use this laptop, log in \
         with a technician's account."
    )]
    NotATechnician {
        /// The account's display name.
        name: String,
        /// Its role.
        role: onsite_protocol::Role,
        /// HQ's address.
        hq: String,
    },
    /// The session ended at HQ (expired or revoked); local data is kept.
    #[error("your session has ended; log in again (nothing on this device is lost)")]
    SessionExpired,
    /// Too many attempts.
    #[error("{0}")]
    RateLimited(String),
    /// No job with that number in the local store.
    #[error("no job numbered {0} on this device")]
    UnknownJob(String),
    /// No guide with that id in the local store.
    #[error("no guide {0:?} on this device (`onsite guides` lists them)")]
    UnknownGuide(String),
    /// No part with that SKU in the catalog on this device.
    #[error(
        "no part {0:?} in the parts catalog on this laptop (`onsite stock` lists the van's parts)"
    )]
    UnknownPart(String),
    /// Completion waits for required checklist items.
    #[error("job {number} cannot be completed yet: answer {}", missing.join(", "))]
    ChecklistIncomplete {
        /// The job.
        number: String,
        /// The unanswered required items, as `template.item (label)`.
        missing: Vec<String>,
    },
    /// A warranty remedy the policy does not allow for the fault.
    #[error("{remedy} is not allowed for this fault; the policy allows: {}", allowed.join(", "))]
    RemedyNotAllowed {
        /// The remedy asked for.
        remedy: onsite_protocol::warranty::Remedy,
        /// The remedies allowed, each with its rule.
        allowed: Vec<String>,
    },
    /// No warranty policy for the product on this device.
    #[error(
        "no warranty policy for {model:?} on this laptop; sync with HQ, or ask a dispatcher to          import one"
    )]
    NoWarrantyPolicy {
        /// The product model.
        model: String,
    },
    /// Input from the user is not acceptable.
    #[error("{0}")]
    InvalidInput(String),
    /// The status change is not one the technician may make from the job's current status.
    #[error("{0}")]
    InvalidTransition(String),
    /// The job was given to another technician; it stays visible, read-only, until this
    /// device's changes to it have reached HQ.
    #[error("job {0} was reassigned; it is read-only until your changes to it are sent")]
    JobReadOnly(String),
    /// Work time started on a job that is completed or cancelled.
    #[error(
        "job {number} is {status}: no more work time can be recorded on it (notes and photos \
         still can)"
    )]
    JobClosed {
        /// The job.
        number: String,
        /// Its status.
        status: onsite_protocol::JobStatus,
    },
    /// A change that is already on its way to HQ (or there) cannot be taken back.
    #[error("this change has already been sent to HQ, so it stays on the job")]
    AlreadySent,
    /// A file over the attachment size limit.
    #[error("{file} has {bytes} bytes; attachments may have at most {max} bytes")]
    AttachmentTooLarge {
        /// The file.
        file: String,
        /// Its size.
        bytes: u64,
        /// The limit.
        max: u64,
    },
    /// A file of a kind attachments may not have.
    #[error("{0}")]
    UnsupportedFile(String),
    /// No attachment with that hash on this device.
    #[error("attachment {0} is not on this device")]
    UnknownAttachment(String),
    /// Changes recorded on this device have not reached HQ yet.
    #[error(
        "{0} change(s) on this device have not reached HQ yet; sync first (or discard them \
         explicitly)"
    )]
    UnsyncedChanges(u64),
    /// HQ refused a request for a reason of its own.
    #[error("HQ refused the request: {message} ({code})")]
    Hq {
        /// HQ's stable error code.
        code: String,
        /// HQ's message.
        message: String,
    },
    /// HQ answered something this build does not understand.
    #[error("unexpected answer from HQ: {0}")]
    Protocol(String),
    /// The local database was written by a newer version of Onsite.
    #[error("{0}")]
    SchemaTooNew(String),
    /// The local database failed.
    #[error("local database error: {0}")]
    Store(String),
    /// The service report could not be written (not bad input: a photo that cannot be read
    /// is left out instead).
    #[error("the service report cannot be made: {0}")]
    Report(String),
    /// A local file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

/// The stable code of every device error: a closed set, so front ends (and the TypeScript
/// compiler, through the generated bindings) know each one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DeviceErrorCode {
    /// No session: log in first.
    NotLoggedIn,
    /// HQ could not be reached; local data is still available.
    HqUnreachable,
    /// HQ's certificate is not the pinned one.
    FingerprintMismatch,
    /// HQ's certificate is not trusted and no fingerprint is pinned.
    UntrustedCertificate,
    /// Wrong username or password.
    InvalidCredentials,
    /// A dispatcher's or admin's account in the technicians' app.
    NotATechnician,
    /// The session ended at HQ; log in again.
    SessionExpired,
    /// Too many attempts.
    RateLimited,
    /// No such job on this device.
    UnknownJob,
    /// No such guide on this device.
    UnknownGuide,
    /// No such part in the catalog on this device.
    UnknownPart,
    /// Completion waits for required checklist items.
    ChecklistIncomplete,
    /// A warranty remedy the policy does not allow.
    RemedyNotAllowed,
    /// No warranty policy for the product on this device.
    NoWarrantyPolicy,
    /// Input the device does not accept.
    InvalidInput,
    /// A status move the technician may not make from here.
    InvalidTransition,
    /// The job was given to someone else; read-only here.
    JobReadOnly,
    /// Work time on a completed or cancelled job.
    JobClosed,
    /// A change already on its way to HQ cannot be taken back.
    AlreadySent,
    /// A file over the attachment size limit.
    AttachmentTooLarge,
    /// A kind of file attachments may not have.
    UnsupportedFile,
    /// Changes on this device have not reached HQ yet.
    UnsyncedChanges,
    /// No attachment with that hash on this device.
    UnknownAttachment,
    /// HQ refused the request for a reason of its own.
    #[serde(rename = "hq_error")]
    Hq,
    /// HQ answered something this build does not understand.
    Protocol,
    /// The local database is from a newer Onsite.
    SchemaTooNew,
    /// The local database failed.
    Store,
    /// A local file could not be read or written.
    Io,
    /// The service report could not be written.
    Report,
    /// The app failed outside the device (the shell or its IPC); front ends use it for failures that carry no code of their own.
    Internal,
}

impl DeviceErrorCode {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceErrorCode::NotLoggedIn => "not_logged_in",
            DeviceErrorCode::HqUnreachable => "hq_unreachable",
            DeviceErrorCode::FingerprintMismatch => "fingerprint_mismatch",
            DeviceErrorCode::UntrustedCertificate => "untrusted_certificate",
            DeviceErrorCode::InvalidCredentials => "invalid_credentials",
            DeviceErrorCode::NotATechnician => "not_a_technician",
            DeviceErrorCode::SessionExpired => "session_expired",
            DeviceErrorCode::RateLimited => "rate_limited",
            DeviceErrorCode::UnknownJob => "unknown_job",
            DeviceErrorCode::UnknownGuide => "unknown_guide",
            DeviceErrorCode::UnknownPart => "unknown_part",
            DeviceErrorCode::ChecklistIncomplete => "checklist_incomplete",
            DeviceErrorCode::RemedyNotAllowed => "remedy_not_allowed",
            DeviceErrorCode::NoWarrantyPolicy => "no_warranty_policy",
            DeviceErrorCode::InvalidInput => "invalid_input",
            DeviceErrorCode::InvalidTransition => "invalid_transition",
            DeviceErrorCode::JobReadOnly => "job_read_only",
            DeviceErrorCode::JobClosed => "job_closed",
            DeviceErrorCode::AlreadySent => "already_sent",
            DeviceErrorCode::AttachmentTooLarge => "attachment_too_large",
            DeviceErrorCode::UnsupportedFile => "unsupported_file",
            DeviceErrorCode::UnsyncedChanges => "unsynced_changes",
            DeviceErrorCode::UnknownAttachment => "unknown_attachment",
            DeviceErrorCode::Hq => "hq_error",
            DeviceErrorCode::Protocol => "protocol",
            DeviceErrorCode::SchemaTooNew => "schema_too_new",
            DeviceErrorCode::Store => "store",
            DeviceErrorCode::Io => "io",
            DeviceErrorCode::Report => "report",
            DeviceErrorCode::Internal => "internal",
        }
    }
}

impl std::fmt::Display for DeviceErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Lets tests and scripts compare a code with its spelling.
impl PartialEq<&str> for DeviceErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl CoreError {
    /// The stable code of this error, as sent to the UI.
    pub fn code(&self) -> DeviceErrorCode {
        match self {
            CoreError::NotLoggedIn => DeviceErrorCode::NotLoggedIn,
            CoreError::HqUnreachable { .. } => DeviceErrorCode::HqUnreachable,
            CoreError::FingerprintMismatch { .. } => DeviceErrorCode::FingerprintMismatch,
            CoreError::UntrustedCertificate { .. } => DeviceErrorCode::UntrustedCertificate,
            CoreError::InvalidCredentials => DeviceErrorCode::InvalidCredentials,
            CoreError::NotATechnician { .. } => DeviceErrorCode::NotATechnician,
            CoreError::SessionExpired => DeviceErrorCode::SessionExpired,
            CoreError::RateLimited(_) => DeviceErrorCode::RateLimited,
            CoreError::UnknownJob(_) => DeviceErrorCode::UnknownJob,
            CoreError::UnknownGuide(_) => DeviceErrorCode::UnknownGuide,
            CoreError::UnknownPart(_) => DeviceErrorCode::UnknownPart,
            CoreError::ChecklistIncomplete { .. } => DeviceErrorCode::ChecklistIncomplete,
            CoreError::RemedyNotAllowed { .. } => DeviceErrorCode::RemedyNotAllowed,
            CoreError::NoWarrantyPolicy { .. } => DeviceErrorCode::NoWarrantyPolicy,
            CoreError::InvalidInput(_) => DeviceErrorCode::InvalidInput,
            CoreError::InvalidTransition(_) => DeviceErrorCode::InvalidTransition,
            CoreError::JobReadOnly(_) => DeviceErrorCode::JobReadOnly,
            CoreError::JobClosed { .. } => DeviceErrorCode::JobClosed,
            CoreError::AlreadySent => DeviceErrorCode::AlreadySent,
            CoreError::AttachmentTooLarge { .. } => DeviceErrorCode::AttachmentTooLarge,
            CoreError::UnsupportedFile(_) => DeviceErrorCode::UnsupportedFile,
            CoreError::UnsyncedChanges(_) => DeviceErrorCode::UnsyncedChanges,
            CoreError::UnknownAttachment(_) => DeviceErrorCode::UnknownAttachment,
            CoreError::Hq { .. } => DeviceErrorCode::Hq,
            CoreError::Protocol(_) => DeviceErrorCode::Protocol,
            CoreError::SchemaTooNew(_) => DeviceErrorCode::SchemaTooNew,
            CoreError::Store(_) => DeviceErrorCode::Store,
            CoreError::Io { .. } => DeviceErrorCode::Io,
            CoreError::Report(_) => DeviceErrorCode::Report,
        }
    }

    /// True when the failure is about reaching HQ, not about the request: retry later.
    pub fn is_offline(&self) -> bool {
        matches!(self, CoreError::HqUnreachable { .. })
    }
}

impl From<crate::fingerprint::BadFingerprint> for CoreError {
    fn from(e: crate::fingerprint::BadFingerprint) -> Self {
        CoreError::InvalidInput(e.to_string())
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        CoreError::Store(e.to_string())
    }
}

impl From<onsite_sqlite::OpenError> for CoreError {
    fn from(e: onsite_sqlite::OpenError) -> Self {
        match e {
            onsite_sqlite::OpenError::SchemaTooNew { .. } => CoreError::SchemaTooNew(e.to_string()),
            other => CoreError::Store(other.to_string()),
        }
    }
}

/// An error as front ends show it: the stable code and the message for the technician. This is
/// what crosses to the desktop UI.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorReport {
    /// [`CoreError::code`].
    pub code: DeviceErrorCode,
    /// The error's message.
    pub message: String,
}

impl From<&CoreError> for ErrorReport {
    fn from(e: &CoreError) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl From<CoreError> for ErrorReport {
    fn from(e: CoreError) -> Self {
        Self::from(&e)
    }
}

/// Result of device operations.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code has its own spelling, and a report carries it to the UI as a string.
    #[test]
    fn codes_are_distinct_and_travel_as_their_spelling() {
        let all = [
            DeviceErrorCode::NotLoggedIn,
            DeviceErrorCode::HqUnreachable,
            DeviceErrorCode::FingerprintMismatch,
            DeviceErrorCode::UntrustedCertificate,
            DeviceErrorCode::InvalidCredentials,
            DeviceErrorCode::NotATechnician,
            DeviceErrorCode::SessionExpired,
            DeviceErrorCode::RateLimited,
            DeviceErrorCode::UnknownJob,
            DeviceErrorCode::UnknownGuide,
            DeviceErrorCode::InvalidInput,
            DeviceErrorCode::InvalidTransition,
            DeviceErrorCode::JobReadOnly,
            DeviceErrorCode::JobClosed,
            DeviceErrorCode::AlreadySent,
            DeviceErrorCode::AttachmentTooLarge,
            DeviceErrorCode::UnsupportedFile,
            DeviceErrorCode::UnsyncedChanges,
            DeviceErrorCode::UnknownAttachment,
            DeviceErrorCode::Hq,
            DeviceErrorCode::Protocol,
            DeviceErrorCode::SchemaTooNew,
            DeviceErrorCode::Store,
            DeviceErrorCode::Io,
            DeviceErrorCode::Internal,
        ];
        let spellings: std::collections::BTreeSet<_> = all.iter().map(|c| c.as_str()).collect();
        assert_eq!(spellings.len(), all.len());
        for code in all {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        let report = ErrorReport::from(CoreError::JobReadOnly("J-1".into()));
        assert_eq!(
            serde_json::to_value(&report).unwrap()["code"],
            "job_read_only"
        );
    }
}
