//! `--probe http://:8080/health`: a smoke check for servers. The container's
//! port is published on the engine host's loopback (`-p 127.0.0.1::8080`)
//! and asked with a plain HTTP/1.0 GET until it answers 2xx or 3xx or the
//! smoke timeout ends.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// What to ask: the container port and the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The port inside the container.
    pub port: u16,
    /// The request path, `/` by default.
    pub path: String,
    /// The URL as given.
    pub url: String,
}

/// How a probe ended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProbeOutcome {
    pub url: String,
    /// A 2xx or 3xx answer came before the timeout.
    pub ok: bool,
    /// The last HTTP status seen.
    pub status_code: Option<u16>,
    /// What happened, in a few words (`200 OK`, `connection refused`, …).
    pub detail: String,
}

/// Reads `http://[HOST]:PORT[/PATH]` (the host is ignored: the port is
/// published on loopback).
///
/// ```
/// let p = slimfile::verify::probe::parse("http://:8080/health").unwrap();
/// assert_eq!((p.port, p.path.as_str()), (8080, "/health"));
/// ```
pub fn parse(url: &str) -> Result<Probe, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("--probe {url}: only http:// URLs (http://:PORT/PATH)"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let port = match authority.rsplit_once(':') {
        Some((_, p)) => p
            .parse::<u16>()
            .map_err(|_| format!("--probe {url}: `{p}` is not a port"))?,
        None => 80,
    };
    if port == 0 {
        return Err(format!("--probe {url}: port 0"));
    }
    Ok(Probe {
        port,
        path: path.to_string(),
        url: url.to_string(),
    })
}

/// One GET to `addr` (`127.0.0.1:43551`); the status code of the answer.
pub fn get(addr: &str, path: &str, timeout: Duration) -> Result<u16, String> {
    let sock: std::net::SocketAddr = addr.parse().map_err(|_| format!("bad address {addr}"))?;
    let mut stream = TcpStream::connect_timeout(&sock, timeout).map_err(|e| e.to_string())?;
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    // one write: some servers read the request line in one go
    let request =
        format!("GET {path} HTTP/1.0\r\nHost: localhost\r\nUser-Agent: slimfile-verify\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut head = [0u8; 64];
    let mut got = 0;
    while got < 12 {
        match stream.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(e.to_string()),
        }
    }
    let text = String::from_utf8_lossy(&head[..got]);
    // `HTTP/1.1 200 OK`
    text.split_whitespace()
        .nth(1)
        .filter(|_| text.starts_with("HTTP/"))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| {
            if got == 0 {
                "connection closed without an answer".to_string()
            } else {
                format!("not an HTTP answer: {:?}", text.trim())
            }
        })
}

/// The host address in `port` output (`127.0.0.1:43551`, possibly one per line).
pub fn published_address(port_output: &str) -> Option<String> {
    port_output
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("127.0.0.1:"))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_port_and_a_path() {
        assert_eq!(parse("http://:8080").unwrap().path, "/");
        assert_eq!(parse("http://localhost/x").unwrap().port, 80);
        assert!(parse("https://:443/").is_err());
        assert!(parse("http://:http/").is_err());
    }

    #[test]
    fn a_local_server_answers_with_its_status() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 256];
            let n = s.read(&mut buf).unwrap();
            assert!(String::from_utf8_lossy(&buf[..n]).starts_with("GET /health HTTP/1.0"));
            s.write_all(b"HTTP/1.1 204 No Content\r\n\r\n").unwrap();
        });
        assert_eq!(get(&addr, "/health", Duration::from_secs(2)), Ok(204));
        server.join().unwrap();
    }

    #[test]
    fn port_output_gives_the_loopback_address() {
        assert_eq!(
            published_address("127.0.0.1:32768\n").as_deref(),
            Some("127.0.0.1:32768")
        );
        assert_eq!(published_address(""), None);
    }
}
