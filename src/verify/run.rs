//! One smoke run of a built image: the container started with the smoke command (and its
//! probe port published), its output collected, the probe asked while it runs, and the
//! container stopped at the timeout.

use std::io::Read;
use std::process::{Child, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{Options, Smoke, Status, TAIL_LINES, engine, probe, tail};

/// Runs the image with the smoke command; stops it at the timeout.
pub(super) fn smoke(opts: &Options, tag: &str, name: &str) -> Smoke {
    let start = Instant::now();
    let mut cmd = opts.engine.command();
    cmd.args(["run", "--rm", "--name", name]);
    if let Some(p) = &opts.probe {
        cmd.args(["-p", &format!("127.0.0.1::{}", p.port)]);
    }
    cmd.arg(tag)
        .args(&opts.smoke)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Smoke {
                status: Status::Exited(-1),
                seconds: 0.0,
                output: format!("cannot run {}: {e}", opts.engine.program),
                expected_found: opts.expect.as_ref().map(|_| false),
                probe: None,
            };
        }
    };
    let readers = read_output(&mut child);
    let mut asker = opts.probe.as_ref().map(ProbeState::new);
    let status = wait_or_stop(opts, name, &mut child, &mut asker, start);
    let seconds = start.elapsed().as_secs_f64();
    let output: String = readers
        .into_iter()
        .filter_map(|h| h.join().ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    let expected_found = opts.expect.as_ref().map(|e| output.contains(e.as_str()));
    Smoke {
        status,
        seconds,
        output: tail(&output, TAIL_LINES),
        expected_found,
        probe: asker.map(ProbeState::outcome),
    }
}

/// Threads that read the child's stdout and stderr to their end.
fn read_output(child: &mut Child) -> Vec<JoinHandle<Vec<u8>>> {
    [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|mut r| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    })
    .collect()
}

/// Waits for the container to exit, asking the probe meanwhile; stops it (status `Running`)
/// once the probe answered or the timeout passed.
fn wait_or_stop(
    opts: &Options,
    name: &str,
    child: &mut Child,
    asker: &mut Option<ProbeState>,
    start: Instant,
) -> Status {
    loop {
        let answered = match (asker.as_mut(), child.try_wait()) {
            (Some(a), Ok(None)) => a.ask(opts, name),
            _ => false,
        };
        match child.try_wait() {
            Ok(Some(s)) => return Status::Exited(s.code().unwrap_or(-1)),
            Ok(None) if answered || start.elapsed() >= opts.timeout => {
                let _ = opts
                    .engine
                    .command()
                    .args(stop_args(opts.engine.kind, name))
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                return Status::Running;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(_) => return Status::Exited(-1),
        }
    }
}

/// A probe in progress: the published address once known, the last answer.
struct ProbeState<'a> {
    probe: &'a probe::Probe,
    address: Option<String>,
    last: Option<Instant>,
    status_code: Option<u16>,
    ok: bool,
    detail: String,
}

impl<'a> ProbeState<'a> {
    fn new(probe: &'a probe::Probe) -> Self {
        ProbeState {
            probe,
            address: None,
            last: None,
            status_code: None,
            ok: false,
            detail: "no answer before the timeout (the container did not publish the port)".into(),
        }
    }

    /// One attempt (at most every 250 ms); true once a 2xx/3xx answer came.
    fn ask(&mut self, opts: &Options, name: &str) -> bool {
        if self.ok {
            return true;
        }
        if self
            .last
            .is_some_and(|t| t.elapsed() < Duration::from_millis(250))
        {
            return false;
        }
        self.last = Some(Instant::now());
        if self.address.is_none() {
            let out = opts
                .engine
                .command()
                .args(["port", name, &self.probe.port.to_string()])
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output();
            self.address = out
                .ok()
                .and_then(|o| probe::published_address(&String::from_utf8_lossy(&o.stdout)));
        }
        let Some(addr) = &self.address else {
            return false;
        };
        match probe::get(addr, &self.probe.path, Duration::from_secs(2)) {
            Ok(code) => {
                self.status_code = Some(code);
                self.ok = (200..400).contains(&code);
                self.detail = format!("HTTP {code}");
            }
            Err(e) => self.detail = e,
        }
        self.ok
    }

    fn outcome(self) -> probe::ProbeOutcome {
        probe::ProbeOutcome {
            url: self.probe.url.clone(),
            ok: self.ok,
            status_code: self.status_code,
            detail: self.detail,
        }
    }
}

/// `rm -f` of a running container: podman takes a stop timeout, Docker does not.
fn stop_args(kind: engine::Kind, name: &str) -> Vec<&str> {
    match kind {
        engine::Kind::Podman => vec!["rm", "-f", "-t", "2", name],
        engine::Kind::Docker => vec!["rm", "-f", name],
    }
}
