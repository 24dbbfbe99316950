//! HQ under attack, as a real process over HTTPS on loopback: floods of logins and of idle
//! connections, from one address and from many (Linux routes all of 127.0.0.0/8 to loopback,
//! so each test client can come from an address of its own).

use onsite_e2e::hq::HqProcess;
use serde_json::json;
use std::io::Read;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::Duration;

/// An HTTPS client that connects from `from`, pinning HQ's certificate.
fn client_from(hq: &HqProcess, from: IpAddr) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = onsite_core::hq_client::tls::client_config(Some(hq.pin()), Default::default());
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .local_address(from)
        .timeout(Duration::from_secs(60))
        .no_proxy()
        .build()
        .expect("client")
}

/// A plain TCP connection from `from` that sends nothing.
fn idle_socket(hq: &HqProcess, from: [u8; 4]) -> TcpStream {
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("a socket");
    socket
        .bind(&SocketAddr::from((from, 0)).into())
        .expect("bind a loopback address");
    socket.connect(&hq.addr().into()).expect("connect");
    socket.into()
}

/// Whether HQ closed `socket` straight away (it refused the connection) rather than waiting
/// for a TLS handshake. A connection HQ accepted stays open for its handshake timeout (10 s).
fn closed_at_once(socket: &mut TcpStream) -> bool {
    socket
        .set_read_timeout(Some(Duration::from_millis(500)))
        .expect("a read timeout");
    let mut byte = [0u8; 1];
    match socket.read(&mut byte) {
        Ok(0) => true,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => true,
        Ok(_) => false,
        Err(_) => false, // timed out: still open
    }
}

/// Before, each login ran argon2 (19 MiB) with no cap: 192 wrong passwords 64 at a time took
/// HQ from 17 MB to 3.5 GB, never given back. Now at most a core count run at once, in reused
/// memory: the same flood, from 64 addresses so the throttle lets every guess be checked,
/// leaves HQ's memory where it was, and HQ answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_login_flood_keeps_hq_memory_flat() {
    let hq = HqProcess::start();
    let before = hq.resident_bytes();
    let mut flood = Vec::new();
    for n in 0..64u8 {
        let client = client_from(&hq, IpAddr::from([127, 0, 1, n + 1]));
        let url = format!("{}/api/v1/auth/login", hq.url);
        flood.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for k in 0..3 {
                let body = json!({"username": format!("ghost{n}-{k}"), "password": "guess",
                                  "device_id": onsite_protocol::DeviceId::new()});
                let res = client.post(&url).json(&body).send().await.expect("answer");
                statuses.push(res.status().as_u16());
            }
            statuses
        }));
    }
    let mut statuses = Vec::new();
    for f in flood {
        statuses.extend(f.await.expect("a login task"));
    }
    assert_eq!(statuses.len(), 192);
    assert!(
        statuses.iter().all(|s| [401, 503].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.contains(&401));
    let after = hq.resident_bytes();
    let grown = after.saturating_sub(before);
    println!(
        "HQ resident memory: {} MB before, {} MB after 192 logins, 64 at once",
        before >> 20,
        after >> 20
    );
    assert!(
        grown < 150 << 20,
        "HQ grew by {} MB during a login flood",
        grown >> 20
    );
    let health = client_from(&hq, IpAddr::from([127, 0, 0, 1]))
        .get(format!("{}/api/v1/health", hq.url))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
}

/// Before, a thousand idle sockets from one client took HQ down for everyone. Now one address
/// holds at most its share and HQ at most its total; others are still served, and slots come
/// back when sockets close.
#[tokio::test]
async fn idle_connections_are_capped_per_address_and_in_total() {
    let hq = HqProcess::start_with(&[
        "--max-connections",
        "6",
        "--max-connections-per-address",
        "4",
    ]);
    let mut mine: Vec<TcpStream> = (0..4).map(|_| idle_socket(&hq, [127, 0, 0, 9])).collect();
    for s in &mut mine {
        assert!(!closed_at_once(s), "within the address's share");
    }
    let mut fifth = idle_socket(&hq, [127, 0, 0, 9]);
    assert!(closed_at_once(&mut fifth), "over the address's share");
    let mut other = idle_socket(&hq, [127, 0, 0, 10]);
    assert!(
        !closed_at_once(&mut other),
        "another address is still served"
    );
    let mut sixth = idle_socket(&hq, [127, 0, 0, 11]);
    assert!(!closed_at_once(&mut sixth));
    let mut seventh = idle_socket(&hq, [127, 0, 0, 12]);
    assert!(closed_at_once(&mut seventh), "over HQ's total");
    drop(mine);
    drop(other);
    // The slots come back once HQ sees the sockets close.
    let client = client_from(&hq, IpAddr::from([127, 0, 0, 9]));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        match client.get(format!("{}/api/v1/health", hq.url)).send().await {
            Ok(r) if r.status() == 200 => break,
            other => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "HQ did not serve the address again: {other:?}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Before, a JSON body of 1.1 MB had its connection closed mid-send, so the client saw a reset
/// instead of an answer. Now HQ reads and drops the rest and answers `413` with `{code,
/// message}`, over real TLS, on HTTP/1.1 and HTTP/2 alike.
#[tokio::test]
async fn an_oversize_body_is_answered_not_reset() {
    let hq = HqProcess::start();
    hq.add_user("tina", "technician");
    let client = client_from(&hq, IpAddr::from([127, 0, 0, 1]));
    let login = json!({"username": "tina", "password": onsite_e2e::PASSWORD,
                       "device_id": onsite_protocol::DeviceId::new()});
    let tokens: serde_json::Value = client
        .post(format!("{}/api/v1/auth/login", hq.url))
        .json(&login)
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("tokens");
    let token = tokens["access_token"]
        .as_str()
        .expect("a token")
        .to_string();
    let body = format!(r#"{{"ops": [{}]}}"#, "1,".repeat(550 * 1024) + "1");
    let res = client
        .post(format!("{}/api/v1/sync/push", hq.url))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("an answer, not a reset");
    assert_eq!(res.status(), 413);
    let error: serde_json::Value = res.json().await.expect("a JSON error");
    assert_eq!(error["code"], "payload_too_large", "{error}");
}
