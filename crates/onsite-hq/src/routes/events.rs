//! `GET /events`: a server-sent event stream that tells an open console something it shows has
//! changed — a laptop's push, a dispatcher's edit — so it fetches again without a reload.
//!
//! Each stream looks at storage's change mark a few times a second rather than being told by
//! the code that writes: every process of an HQ sharing one database sees every write, and no
//! write path can forget to announce itself. Streams are bounded in number and in life; the
//! browser's `EventSource` reconnects by itself (and so is checked again) when one ends.

use super::AppState;
use crate::auth::Dispatcher;
use crate::error::AppError;
use crate::storage::ChangeMark;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use std::convert::Infallible;
use std::time::Duration;

/// How often a stream looks for changes: the most a change waits before the board hears of it.
pub const POLL: Duration = Duration::from_millis(250);
/// How long one stream lives before the browser must reconnect (and show its session again).
pub const MAX_LIFE: Duration = Duration::from_secs(300);
/// How many streams HQ serves at once; more are answered `503 busy`.
pub const MAX_STREAMS: usize = 200;

fn event(name: &'static str, mark: &ChangeMark) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event(name)
        .retry(Duration::from_secs(2))
        .data(format!("{{\"jobs\":{},\"ops\":{}}}", mark.jobs, mark.ops)))
}

pub async fn events(
    State(state): State<AppState>,
    _: Dispatcher,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let permit = state
        .event_streams
        .clone()
        .try_acquire_owned()
        .map_err(|_| AppError::busy("too many live boards are open; try again shortly", 5))?;
    let first = state.storage.change_mark().await?;
    let ends = tokio::time::Instant::now() + MAX_LIFE;
    // `ready` first, so the page knows it is live; then one `change` per change seen.
    let stream = futures_util::stream::unfold(
        (state, first, true, permit),
        move |(state, last, ready, permit)| async move {
            if ready {
                return Some((event("ready", &last), (state, last, false, permit)));
            }
            loop {
                if tokio::time::Instant::now() + POLL > ends {
                    return None;
                }
                tokio::time::sleep(POLL).await;
                match state.storage.change_mark().await {
                    Ok(mark) if mark != last => {
                        return Some((event("change", &mark), (state, mark, false, permit)));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "event stream: reading the change mark failed");
                        return None;
                    }
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
