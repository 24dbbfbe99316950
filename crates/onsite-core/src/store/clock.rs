//! The device's hybrid logical clock, persisted in the settings so it never runs back: every
//! op is stamped from it, and it takes in HQ's stamps so the next ones sort after them.

use super::settings::{Setting, get_in, set_in};
use crate::error::{CoreError, Result};
use onsite_protocol::{DeviceId, Hlc, HlcClock};

/// The device's clock, continuing from the last stamp issued or seen.
pub(super) fn load(tx: &rusqlite::Connection) -> Result<HlcClock> {
    let node: DeviceId = get_in(tx, Setting::DeviceId)?
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| CoreError::Store("the device has no id".into()))?;
    let last = get_in(tx, Setting::Hlc)?.and_then(|h| h.parse().ok());
    Ok(HlcClock::new(node, last))
}

/// Takes in a stamp from HQ, so the device's next stamps sort after it.
pub(super) fn observe(tx: &rusqlite::Connection, remote: Hlc) -> Result<()> {
    if get_in(tx, Setting::DeviceId)?.is_none() {
        // A store not opened through a device issues no stamps; nothing to keep in step.
        return Ok(());
    }
    let mut clock = load(tx)?;
    // HQ's clock is the yardstick: HQ refuses to follow stamps far ahead of its time, so a
    // device far ahead of HQ ran (or saw a clock that ran) ahead, and starts again from HQ's.
    if clock.settle(remote) {
        tracing::warn!(
            hq = %remote,
            "this device's clock stamps were far ahead of HQ's; continuing from HQ's clock"
        );
    }
    set_in(tx, Setting::Hlc, Some(&clock.last().to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::store::testing::*;

    #[test]
    fn stamps_follow_each_other_even_when_the_clock_goes_back() {
        let f = fixture();
        let a = f.record(Change::Note { text: "a".into() }).unwrap();
        let earlier = now() - chrono::Duration::days(3);
        let b = f
            .store
            .record("J-1", Change::Note { text: "b".into() }, DEVICE, earlier)
            .unwrap();
        let ops = f.store.outgoing(10, 1 << 20).unwrap();
        let stamp = |o: &OutgoingOp| o.body["hlc"].as_str().unwrap().to_string();
        assert_eq!(ops[0].op_id, a.op_id);
        assert_eq!(ops[1].op_id, b.op_id);
        assert!(stamp(&ops[0]) < stamp(&ops[1]));
    }

    /// A laptop whose date was set to 9999 stamps far ahead; once its date is right again,
    /// the first answer from HQ brings its clock back to HQ's, so HQ need not replace its
    /// stamps for ever.
    #[test]
    fn a_clock_far_ahead_of_hq_starts_again_from_hq() {
        let f = fixture();
        let wrong_date: DateTime<Utc> = "9999-12-31T10:00:00Z".parse().unwrap();
        f.store
            .record("J-1", Change::Note { text: "a".into() }, DEVICE, wrong_date)
            .unwrap();
        let (batch, results) = f.answer(Outcome::Applied, None);
        let hq = Hlc {
            wall: now().timestamp_millis(),
            counter: 0,
            node: DeviceId(uuid::Uuid::from_u128(1)),
        };
        f.store.ack(&batch, &results, hq, now()).unwrap();
        f.record(Change::Note { text: "b".into() }).unwrap();
        let next: Hlc = f.store.outgoing(10, 1 << 20).unwrap()[0].body["hlc"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(next > hq, "{next}");
        assert_eq!(next.wall, hq.wall, "{next}");
    }
}
