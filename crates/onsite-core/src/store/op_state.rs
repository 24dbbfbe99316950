//! Where each of the technician's ops stands, and the one definition of "waiting": in the
//! outbox until HQ's answer is stored.

use crate::error::{CoreError, Result};
use onsite_protocol::Outcome;
use serde::{Deserialize, Serialize};

/// The SQL condition on `ops.state` (or an alias's `state`) of an op still in the outbox:
/// recorded and not answered. Every query about waiting ops uses it, so they cannot drift.
macro_rules! in_outbox {
    () => {
        "state IN ('pending', 'sent')"
    };
}
pub(super) use in_outbox;

/// Where one of the technician's ops stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum OpState {
    /// Recorded here, not sent yet.
    Pending,
    /// Sent; HQ's answer has not arrived.
    Sent,
    /// HQ merged it.
    Applied,
    /// HQ kept it as a conflict for a dispatcher.
    Conflict,
    /// HQ refused it (see the reason).
    Rejected,
}

impl OpState {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            OpState::Pending => "pending",
            OpState::Sent => "sent",
            OpState::Applied => "applied",
            OpState::Conflict => "conflict",
            OpState::Rejected => "rejected",
        }
    }

    /// Whether the op is still in the outbox.
    pub fn waiting(self) -> bool {
        matches!(self, OpState::Pending | OpState::Sent)
    }
}

impl std::str::FromStr for OpState {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "pending" => OpState::Pending,
            "sent" => OpState::Sent,
            "applied" => OpState::Applied,
            "conflict" => OpState::Conflict,
            "rejected" => OpState::Rejected,
            other => return Err(CoreError::Store(format!("unknown op state {other:?}"))),
        })
    }
}

impl std::fmt::Display for OpState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Where an op stands once HQ has answered it (a duplicate is whatever it was first).
impl From<Outcome> for OpState {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Applied | Outcome::Duplicate => OpState::Applied,
            Outcome::Conflict => OpState::Conflict,
            Outcome::Rejected => OpState::Rejected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_is_pending_or_sent_and_the_sql_says_the_same() {
        for state in [
            OpState::Pending,
            OpState::Sent,
            OpState::Applied,
            OpState::Conflict,
            OpState::Rejected,
        ] {
            let spelled = format!("'{state}'");
            assert_eq!(state.waiting(), in_outbox!().contains(&spelled), "{state}");
            assert_eq!(state.to_string().parse::<OpState>().unwrap(), state);
        }
        assert_eq!(OpState::from(Outcome::Duplicate), OpState::Applied);
    }
}
