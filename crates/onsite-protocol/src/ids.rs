//! Typed identifiers. Ids are UUID v7, minted where the record is created (device or HQ), so
//! they sort by creation time and never collide across devices.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub Uuid);

        impl $name {
            /// Mints a new time-ordered (v7) id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// Identifies a job (a unit of work at a customer's site).
    JobId
);
id_type!(
    /// Identifies a customer.
    CustomerId
);
id_type!(
    /// Identifies a site (an address where work happens).
    SiteId
);
id_type!(
    /// Identifies an asset (an installed product with a serial number).
    AssetId
);
id_type!(
    /// Identifies a user account at HQ.
    UserId
);
id_type!(
    /// Identifies one installation of the device app; sessions are bound to it.
    DeviceId
);
id_type!(
    /// Identifies one operation recorded on a device; HQ applies each at most once by it.
    OpId
);
id_type!(
    /// Identifies a complaint or an inquiry at HQ.
    CaseId
);
id_type!(
    /// Identifies a follow-up call HQ owes a customer.
    FollowUpId
);
id_type!(
    /// Identifies a letter in HQ's mail outbox.
    LetterId
);
