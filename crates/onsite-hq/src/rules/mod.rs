//! HQ's rules, each a pure function of what storage looked up, tested as a table of cases:
//! how a pushed op merges with what HQ holds (`merge`), how a pushed batch is read and ordered
//! and what an op id seen before means (`batch`), who must be told of a change (`feed`), and
//! what a change leaves in a job's status history, including the status a reassignment
//! leaves (`history`), and how an imported customer, site or asset is recognised as one HQ
//! has (`matching`), how far a device's clock may be from HQ's (`clock`), what an account may be called
//! and protected by (`account`), and who should go to a job (`suggest`). A storage engine looks the facts up, calls these, and writes what they
//! say, so every engine judges alike.

pub mod account;
pub mod batch;
pub mod clock;
pub mod feed;
pub mod history;
pub mod matching;
pub mod merge;
pub mod suggest;
