//! Reading a pushed batch: each raw op on its own (one malformed op never costs the others),
//! the order the batch is judged in, and what an op id HQ already holds means.

use onsite_protocol::push::OpResult;
use onsite_protocol::{DeviceId, Op, OpId, OpKind, OpRejection, Outcome, Reason};
use serde_json::Value;

/// Whether any text in `value` holds the NUL character, which no person types and no
/// database text type can hold (PostgreSQL refuses it outright).
fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(fields) => fields.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        _ => false,
    }
}

/// Reads one raw op; a rejection says why it is not an op.
pub fn parse(raw: &Value) -> Result<Op, OpRejection> {
    if holds_nul(raw) {
        return Err(OpRejection::new(
            Reason::InvalidValue,
            "the op's text holds a NUL character",
        ));
    }
    serde_json::from_value::<Op>(raw.clone()).map_err(|e| {
        let kind = raw.get("kind").and_then(Value::as_str);
        match kind {
            Some(k) if k.parse::<OpKind>().is_err() => OpRejection::new(
                Reason::UnknownKind,
                format!(
                    "unknown op kind {k:?}; accepted: {}",
                    OpKind::ALL
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            _ => OpRejection::new(Reason::MalformedOp, e.to_string()),
        }
    })
}

/// A field of a raw op that could not be read as a whole, when it reads on its own (an
/// unreadable op is still stored with its op id, job and clock where they can be read).
pub fn raw_field<T: std::str::FromStr>(raw: &Value, field: &str) -> Option<T> {
    raw.get(field)?.as_str()?.parse().ok()
}

/// The order a batch is judged in, as indices into it: unreadable ops first (they change
/// nothing), then the readable ones in their device clock's order, so a reordered batch
/// merges the same way.
pub fn order(parsed: &[Result<Op, OpRejection>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..parsed.len()).collect();
    order.sort_by_key(|&i| parsed[i].as_ref().ok().map(|op| op.hlc));
    order
}

/// What HQ already recorded under an op id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstSeen {
    /// The device that sent it.
    pub device: DeviceId,
    /// What became of it.
    pub outcome: Outcome,
    /// Why, if there was a reason.
    pub reason: Option<Reason>,
    /// HQ's words then.
    pub message: Option<String>,
}

/// What an op id means given what HQ holds under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replay {
    /// Never seen: judge the op.
    New,
    /// The same device sent it again (the answer was lost): answer as the first time, change
    /// nothing.
    Duplicate(OpResult),
    /// Another device's op id: record this op without the id, and refuse it.
    Reused(OpRejection),
}

/// Whether `op_id`, pushed by `device`, is new, a replay, or another device's id.
pub fn replay(op_id: OpId, first: Option<FirstSeen>, device: DeviceId) -> Replay {
    match first {
        None => Replay::New,
        Some(first) if first.device == device => Replay::Duplicate(OpResult {
            op_id: Some(op_id),
            outcome: Outcome::Duplicate,
            first: Some(first.outcome),
            reason: first.reason,
            message: first.message,
        }),
        Some(_) => Replay::Reused(OpRejection::new(
            Reason::OpIdReused,
            "this op id belongs to another device's op",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: DeviceId = DeviceId(uuid::Uuid::from_u128(0xa));
    const B: DeviceId = DeviceId(uuid::Uuid::from_u128(0xb));

    fn raw(wall: i64, kind: &str) -> Value {
        json!({"op_id": OpId::new(), "device_id": A, "job_id": uuid::Uuid::from_u128(1),
               "hlc": format!("{wall:015}-{:010}-{A}", 0), "kind": kind, "text": "x"})
    }

    #[test]
    fn raw_ops_read_on_their_own_with_a_reason_when_they_do_not() {
        let cases = [
            (raw(1, "note"), None),
            (raw(1, "discount"), Some(Reason::UnknownKind)),
            (json!({"kind": "note"}), Some(Reason::MalformedOp)),
            (json!("not an object"), Some(Reason::MalformedOp)),
            (
                {
                    let mut op = raw(1, "note");
                    op["text"] = json!("pressure\u{0}low");
                    op
                },
                Some(Reason::InvalidValue),
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(parse(&raw).err().map(|r| r.reason), want, "{raw}");
        }
        let id = OpId::new();
        assert_eq!(
            raw_field::<OpId>(&json!({"op_id": id.to_string()}), "op_id"),
            Some(id)
        );
        assert_eq!(raw_field::<OpId>(&json!({"op_id": 7}), "op_id"), None);
    }

    #[test]
    fn a_batch_is_judged_unreadable_first_then_in_clock_order() {
        let batch = [raw(30, "note"), json!({}), raw(10, "note"), raw(20, "note")];
        let parsed: Vec<_> = batch.iter().map(parse).collect();
        assert_eq!(order(&parsed), [1, 2, 3, 0]);
    }

    #[test]
    fn an_op_id_seen_before_is_a_duplicate_from_its_device_and_refused_from_another() {
        let id = OpId::new();
        let first = FirstSeen {
            device: A,
            outcome: Outcome::Conflict,
            reason: Some(Reason::StatusConflict),
            message: Some("HQ had cancelled it".into()),
        };
        assert_eq!(replay(id, None, A), Replay::New);
        match replay(id, Some(first.clone()), A) {
            Replay::Duplicate(r) => assert_eq!(
                (r.outcome, r.first, r.reason),
                (
                    Outcome::Duplicate,
                    Some(Outcome::Conflict),
                    Some(Reason::StatusConflict)
                )
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            replay(id, Some(first), B),
            Replay::Reused(r) if r.reason == Reason::OpIdReused
        ));
    }
}
