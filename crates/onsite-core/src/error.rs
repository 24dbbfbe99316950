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
    /// A local file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

impl CoreError {
    /// The stable code of this error, as sent to the UI.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::NotLoggedIn => "not_logged_in",
            CoreError::HqUnreachable { .. } => "hq_unreachable",
            CoreError::FingerprintMismatch { .. } => "fingerprint_mismatch",
            CoreError::UntrustedCertificate { .. } => "untrusted_certificate",
            CoreError::InvalidCredentials => "invalid_credentials",
            CoreError::NotATechnician { .. } => "not_a_technician",
            CoreError::SessionExpired => "session_expired",
            CoreError::RateLimited(_) => "rate_limited",
            CoreError::UnknownJob(_) => "unknown_job",
            CoreError::InvalidInput(_) => "invalid_input",
            CoreError::InvalidTransition(_) => "invalid_transition",
            CoreError::JobReadOnly(_) => "job_read_only",
            CoreError::JobClosed { .. } => "job_closed",
            CoreError::AlreadySent => "already_sent",
            CoreError::AttachmentTooLarge { .. } => "attachment_too_large",
            CoreError::UnsupportedFile(_) => "unsupported_file",
            CoreError::UnsyncedChanges(_) => "unsynced_changes",
            CoreError::UnknownAttachment(_) => "unknown_attachment",
            CoreError::Hq { .. } => "hq_error",
            CoreError::Protocol(_) => "protocol",
            CoreError::SchemaTooNew(_) => "schema_too_new",
            CoreError::Store(_) => "store",
            CoreError::Io { .. } => "io",
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
    pub code: String,
    /// The error's message.
    pub message: String,
}

impl From<&CoreError> for ErrorReport {
    fn from(e: &CoreError) -> Self {
        Self {
            code: e.code().to_string(),
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
