//! Keeping connections from exhausting HQ: a cap on open connections per address and in total,
//! taken before the TLS handshake, and an idle timeout that closes a connection on which
//! nothing has moved for a while and no request is being answered.
//!
//! hyper times out a slow HTTP/1 header and axum-server a slow first request, but neither
//! closes an idle HTTP/2 connection, and nothing bounds how many an address may hold: a
//! thousand idle sockets from one client used to take HQ down for everyone. [`Guard`] is the
//! connection acceptor below TLS; each accepted connection holds a [`Slot`] until it closes.

use axum::http::Request;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

/// What bounds HQ's connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Open connections one address may hold. An office behind one address holds a few per
    /// browser; a laptop holds one.
    pub per_address: usize,
    /// Open connections in total. Kept under the usual limit of 1,024 open files, with room for
    /// the database and attachment files.
    pub total: usize,
    /// A connection on which nothing was read or written for this long, with no request being
    /// answered, is closed.
    pub idle: Duration,
    /// The TLS handshake must finish within this.
    pub handshake: Duration,
    /// The first request's headers must arrive within this of the handshake.
    pub first_request: Duration,
    /// An HTTP/1 request's headers must arrive within this (hyper's own timer; it also
    /// closes an HTTP/1 connection idle between requests).
    pub header_read: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            per_address: 64,
            total: 900,
            idle: Duration::from_secs(30),
            handshake: Duration::from_secs(10),
            first_request: Duration::from_secs(10),
            header_read: Duration::from_secs(30),
        }
    }
}

/// Open connections, per address and in total.
#[derive(Default)]
struct Counts {
    total: AtomicUsize,
    per_address: Mutex<HashMap<IpAddr, usize>>,
}

/// One open connection's place in the counts, given back when the connection closes.
pub struct Slot {
    counts: Arc<Counts>,
    address: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.counts.total.fetch_sub(1, Ordering::Relaxed);
        let mut map = self
            .counts
            .per_address
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.address);
            }
        }
    }
}

/// The acceptor below TLS: takes a slot (or refuses the connection), sets `TCP_NODELAY`, and
/// watches the connection for idleness.
#[derive(Clone)]
pub struct Guard {
    limits: ConnectionLimits,
    counts: Arc<Counts>,
    last_warned: Arc<AtomicU64>,
    epoch: Instant,
}

impl Guard {
    /// A guard keeping to `limits`.
    pub fn new(limits: ConnectionLimits) -> Self {
        Self {
            limits,
            counts: Arc::default(),
            last_warned: Arc::new(AtomicU64::new(0)),
            epoch: Instant::now(),
        }
    }

    /// Open connections right now.
    pub fn open(&self) -> usize {
        self.counts.total.load(Ordering::Relaxed)
    }

    fn take(&self, address: IpAddr) -> Result<Slot, &'static str> {
        let mut map = self
            .counts
            .per_address
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if self.counts.total.load(Ordering::Relaxed) >= self.limits.total {
            return Err("HQ holds as many connections as it allows");
        }
        let held = map.entry(address).or_insert(0);
        if *held >= self.limits.per_address {
            return Err("this address holds as many connections as HQ allows one address");
        }
        *held += 1;
        self.counts.total.fetch_add(1, Ordering::Relaxed);
        Ok(Slot {
            counts: self.counts.clone(),
            address,
        })
    }

    /// Logs a refusal at most once a minute: a flood must not flood the log too.
    fn warn(&self, address: IpAddr, why: &str) {
        let now = self.epoch.elapsed().as_secs() + 60;
        let last = self.last_warned.load(Ordering::Relaxed);
        if now >= last + 60
            && self
                .last_warned
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(%address, open = self.open(), "connection refused: {why}");
        }
    }
}

impl<S> axum_server::accept::Accept<TcpStream, S> for Guard {
    type Stream = Watched<TcpStream>;
    type Service = Counted<S>;
    type Future = std::future::Ready<io::Result<(Self::Stream, Self::Service)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        std::future::ready((|| {
            let address = stream.peer_addr()?.ip();
            let slot = self.take(address).map_err(|why| {
                self.warn(address, why);
                io::Error::other(why)
            })?;
            // Without TCP_NODELAY a response written in two segments waits for the client's
            // delayed ACK (40 ms on Linux): every small sync request would pay it.
            stream.set_nodelay(true)?;
            let activity = Arc::new(Activity::default());
            Ok((
                Watched::new(stream, slot, activity.clone(), self.limits.idle),
                Counted {
                    inner: service,
                    activity,
                },
            ))
        })())
    }
}

/// What a connection is doing: requests being answered, and when bytes last moved.
#[derive(Default)]
pub struct Activity {
    in_flight: AtomicUsize,
}

/// A connection's stream that fails reads and writes once it has been idle too long.
pub struct Watched<T> {
    inner: T,
    _slot: Slot,
    activity: Arc<Activity>,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl<T> Watched<T> {
    fn new(inner: T, slot: Slot, activity: Arc<Activity>, idle: Duration) -> Self {
        Self {
            inner,
            _slot: slot,
            activity,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }

    fn moved(&mut self) {
        let next = Instant::now() + self.idle;
        self.deadline.as_mut().reset(next);
    }

    /// Called when the stream has nothing to give or take: `Ready(Err)` once the deadline
    /// passed with no request in flight, else `Pending` with the deadline's timer registered.
    fn idle_check(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        loop {
            if self.deadline.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            if self.activity.in_flight.load(Ordering::Relaxed) == 0 {
                return Poll::Ready(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection idle too long",
                ));
            }
            // A request is being answered: the connection is not idle, whatever its bytes do.
            self.moved();
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    self.moved();
                }
                Poll::Ready(result)
            }
            Poll::Pending => self.idle_check(cx).map(Err),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Ready(result) => {
                if matches!(result, Ok(n) if n > 0) {
                    self.moved();
                }
                Poll::Ready(result)
            }
            // A client that stops reading its answer is idle too.
            Poll::Pending => self.idle_check(cx).map(Err),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(result) => {
                if matches!(result, Ok(n) if n > 0) {
                    self.moved();
                }
                Poll::Ready(result)
            }
            Poll::Pending => self.idle_check(cx).map(Err),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// The connection's service, counting the requests being answered so a slow handler never
/// looks like an idle connection.
#[derive(Clone)]
pub struct Counted<S> {
    inner: S,
    activity: Arc<Activity>,
}

struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl<S, B> tower::Service<Request<B>> for Counted<S>
where
    S: tower::Service<Request<B>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        self.activity.in_flight.fetch_add(1, Ordering::Relaxed);
        let guard = InFlight(self.activity.clone());
        let answer = self.inner.call(req);
        Box::pin(async move {
            let answer = answer.await;
            drop(guard);
            answer
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, n])
    }

    #[test]
    fn slots_are_capped_per_address_and_in_total_and_given_back() {
        let guard = Guard::new(ConnectionLimits {
            per_address: 2,
            total: 3,
            ..ConnectionLimits::default()
        });
        let a1 = guard.take(ip(1)).unwrap();
        let _a2 = guard.take(ip(1)).unwrap();
        assert!(guard.take(ip(1)).is_err(), "a third from one address");
        let _b1 = guard.take(ip(2)).unwrap();
        assert!(guard.take(ip(3)).is_err(), "a fourth in total");
        assert_eq!(guard.open(), 3);
        drop(a1);
        assert_eq!(guard.open(), 2);
        assert!(
            guard.take(ip(1)).is_ok(),
            "a closed connection gives its slot back"
        );
    }

    /// An idle connection is closed after the idle time; one with a request being answered
    /// is not, however long the answer takes.
    #[tokio::test(start_paused = true)]
    async fn idle_connections_close_busy_ones_do_not() {
        use tokio::io::AsyncReadExt;
        let guard = Guard::new(ConnectionLimits::default());
        let idle = ConnectionLimits::default().idle;
        let (client, server) = tokio::io::duplex(64);
        let activity = Arc::new(Activity::default());
        let mut watched = Watched::new(server, guard.take(ip(1)).unwrap(), activity.clone(), idle);
        activity.in_flight.fetch_add(1, Ordering::Relaxed);
        let mut buf = [0u8; 8];
        let busy = tokio::time::timeout(idle * 3, watched.read(&mut buf)).await;
        assert!(busy.is_err(), "a connection answering a request stays open");
        activity.in_flight.fetch_sub(1, Ordering::Relaxed);
        let started = Instant::now();
        let err = watched.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() <= idle + Duration::from_secs(1));
        drop(client);
    }
}
