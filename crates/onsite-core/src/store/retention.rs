//! How long the device keeps what HQ answered, and forgetting every op when the technician
//! chose to discard them.

use super::Store;
use super::op_state::in_outbox;
use crate::error::Result;
use chrono::{DateTime, Utc};

impl Store {
    /// Forgets ops HQ answered before `before`; waiting ops are never touched. HQ keeps every
    /// op, and sends a held job's ops with the job, so the job's activity stays complete.
    /// Returns how many were forgotten.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn forget_answered(&self, before: DateTime<Utc>) -> Result<u64> {
        Ok(self
            .conn()
            .prepare_cached(concat!(
                "DELETE FROM ops WHERE NOT ",
                in_outbox!(),
                " AND acked_at < ?1"
            ))?
            .execute([before])? as u64)
    }

    /// Forgets every op and attachment record (after the technician chose to discard them).
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn discard_ops(&self) -> Result<()> {
        let mut conn = self.conn();
        let tx = Store::write_tx(&mut conn)?;
        tx.execute_batch("DELETE FROM ops; DELETE FROM attachments;")?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::*;

    #[test]
    fn answered_ops_are_forgotten_after_a_while_waiting_ones_never() {
        let f = fixture();
        f.record(Change::Note { text: "old".into() }).unwrap();
        let (batch, results) = f.answer(Outcome::Applied, None);
        f.store.ack(&batch, &results, hq_clock(), now()).unwrap();
        f.record(Change::Note {
            text: "waiting".into(),
        })
        .unwrap();
        assert_eq!(
            f.store.forget_answered(now()).unwrap(),
            0,
            "answered just now"
        );
        let later = now() + chrono::Duration::days(31);
        assert_eq!(f.store.forget_answered(later).unwrap(), 1);
        let outbox = f.store.outbox(10).unwrap();
        assert_eq!((outbox.waiting, outbox.ops.len()), (1, 1));
    }
}
