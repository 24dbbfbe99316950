//! A TCP proxy between devices and HQ that passes TLS through untouched and can cut
//! connections after a number of response bytes, slow responses down, and count traffic.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Shared knobs and counters.
#[derive(Default)]
pub struct Faults {
    /// Response bytes still allowed before every connection is cut; negative = unlimited.
    budget: AtomicI64,
    /// Request bytes still allowed before every connection is cut; negative = unlimited.
    up_budget: AtomicI64,
    /// Delay added before forwarding each response chunk, in milliseconds.
    delay_ms: AtomicU64,
    /// Bytes sent HQ → device.
    down: AtomicU64,
    /// Bytes sent device → HQ.
    up: AtomicU64,
    /// Connections accepted.
    connections: AtomicU64,
    cut: AtomicBool,
}

/// The running proxy; stops with the test's runtime.
pub struct Proxy {
    /// Address devices connect to.
    pub addr: SocketAddr,
    faults: Arc<Faults>,
}

impl Proxy {
    /// Starts forwarding 127.0.0.1:ephemeral → `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        Self::balancing(vec![upstream]).await
    }

    /// Starts forwarding to each of `upstreams` in turn, a connection each, as a round-robin
    /// load balancer in front of several HQ processes does.
    ///
    /// # Panics
    /// When `upstreams` is empty.
    pub async fn balancing(upstreams: Vec<SocketAddr>) -> Self {
        assert!(
            !upstreams.is_empty(),
            "a proxy needs somewhere to forward to"
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let faults = Arc::new(Faults::default());
        faults.budget.store(-1, Ordering::SeqCst);
        faults.up_budget.store(-1, Ordering::SeqCst);
        let shared = faults.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let n = shared.connections.fetch_add(1, Ordering::SeqCst);
                let upstream = upstreams[usize::try_from(n).unwrap_or(0) % upstreams.len()];
                let f = shared.clone();
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(upstream).await {
                        // Forward at once, as a router would; Nagle here would add delays the
                        // measured system does not have.
                        let _ = (client.set_nodelay(true), server.set_nodelay(true));
                        pipe(client, server, f).await;
                    }
                });
            }
        });
        Self { addr, faults }
    }

    /// `https://127.0.0.1:PORT` of the proxy.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Cut every connection once `bytes` more response bytes have passed.
    pub fn cut_after(&self, bytes: i64) {
        self.faults.cut.store(false, Ordering::SeqCst);
        self.faults.budget.store(bytes, Ordering::SeqCst);
    }

    /// Cut every connection once `bytes` more request bytes have passed (mid-upload).
    pub fn cut_requests_after(&self, bytes: i64) {
        self.faults.cut.store(false, Ordering::SeqCst);
        self.faults.up_budget.store(bytes, Ordering::SeqCst);
    }

    /// Stop cutting.
    pub fn heal(&self) {
        self.faults.budget.store(-1, Ordering::SeqCst);
        self.faults.up_budget.store(-1, Ordering::SeqCst);
    }

    /// Delay each forwarded response chunk.
    pub fn delay(&self, per_chunk: Duration) {
        self.faults
            .delay_ms
            .store(per_chunk.as_millis() as u64, Ordering::SeqCst);
    }

    /// Whether a cut happened since the last `cut_after`.
    pub fn did_cut(&self) -> bool {
        self.faults.cut.load(Ordering::SeqCst)
    }

    /// (bytes up, bytes down, connections) so far.
    pub fn traffic(&self) -> (u64, u64, u64) {
        (
            self.faults.up.load(Ordering::SeqCst),
            self.faults.down.load(Ordering::SeqCst),
            self.faults.connections.load(Ordering::SeqCst),
        )
    }
}

async fn pipe(client: TcpStream, server: TcpStream, faults: Arc<Faults>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let up_faults = faults.clone();
    let up = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let budget = up_faults.up_budget.load(Ordering::SeqCst);
            if budget >= 0 {
                let allowed = budget.min(n as i64) as usize;
                up_faults
                    .up_budget
                    .fetch_sub(allowed as i64, Ordering::SeqCst);
                if allowed < n {
                    let _ = server_write.write_all(&buf[..allowed]).await;
                    up_faults.up.fetch_add(allowed as u64, Ordering::SeqCst);
                    up_faults.cut.store(true, Ordering::SeqCst);
                    break;
                }
            }
            up_faults.up.fetch_add(n as u64, Ordering::SeqCst);
            if server_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = server_write.shutdown().await;
    };
    let down = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match server_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let delay = faults.delay_ms.load(Ordering::SeqCst);
            if delay > 0 {
                tokio::time::sleep(Duration::from_millis(delay)).await;
            }
            let budget = faults.budget.load(Ordering::SeqCst);
            if budget >= 0 {
                let allowed = budget.min(n as i64) as usize;
                faults.budget.fetch_sub(allowed as i64, Ordering::SeqCst);
                if allowed < n {
                    let _ = client_write.write_all(&buf[..allowed]).await;
                    faults.down.fetch_add(allowed as u64, Ordering::SeqCst);
                    faults.cut.store(true, Ordering::SeqCst);
                    break;
                }
            }
            faults.down.fetch_add(n as u64, Ordering::SeqCst);
            if client_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = client_write.shutdown().await;
    };
    // Either side ending ends the connection: that is what a cut looks like to both peers.
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}
