//! Verdicts and the human report, without an engine.

use super::*;

fn run(status: Status, expected_found: Option<bool>, output: &str) -> Smoke {
    Smoke {
        status,
        seconds: 0.1,
        output: output.into(),
        expected_found,
        probe: None,
    }
}

#[test]
fn a_rewrite_that_runs_where_the_original_did_not_is_repaired() {
    let before = run(
        Status::Exited(127),
        Some(false),
        "exec /usr/local/bin/myapp: no such file or directory",
    );
    let after = run(Status::Exited(0), Some(true), "APP-OK");
    let (verdict, reason) = judge(&before, &after, Some(900), Some(10));
    assert_eq!(verdict, Verdict::Repaired, "{reason}");
    assert_eq!(verdict.exit_code(), 0);
    assert!(reason.contains("exit 127"), "{reason}");
    // without --expect, a non-zero exit is the failure
    let (verdict, _) = judge(
        &run(Status::Exited(1), None, "ModuleNotFoundError"),
        &run(Status::Running, None, ""),
        None,
        None,
    );
    assert_eq!(verdict, Verdict::Repaired);
}

#[test]
fn a_repair_may_be_larger() {
    let (verdict, _) = judge(
        &run(Status::Exited(1), Some(false), ""),
        &run(Status::Exited(0), Some(true), "ok"),
        Some(10),
        Some(20),
    );
    assert_eq!(verdict, Verdict::Repaired);
}

#[test]
fn both_failing_is_not_the_rewrites_fault() {
    let (verdict, _) = judge(
        &run(Status::Exited(1), Some(false), ""),
        &run(Status::Exited(1), Some(false), ""),
        None,
        None,
    );
    assert_eq!(verdict, Verdict::CannotRun);
    // the same non-zero exit, no --expect: the rewrite behaves like the original
    let (verdict, _) = judge(
        &run(Status::Exited(3), None, ""),
        &run(Status::Exited(3), None, ""),
        Some(5),
        Some(4),
    );
    assert_eq!(verdict, Verdict::Ok);
}

#[test]
fn a_rewrite_that_breaks_a_working_original_fails() {
    let (verdict, _) = judge(
        &run(Status::Exited(0), Some(true), "ok"),
        &run(Status::Exited(127), Some(false), "not found"),
        None,
        None,
    );
    assert_eq!(verdict, Verdict::Failed);
    let (verdict, reason) = judge(
        &run(Status::Exited(0), None, ""),
        &run(Status::Exited(0), None, ""),
        Some(5),
        Some(6),
    );
    assert_eq!(verdict, Verdict::Failed, "{reason}");
}

fn probed(ok: bool) -> Smoke {
    Smoke {
        probe: Some(probe::ProbeOutcome {
            url: "http://:8080/".into(),
            ok,
            status_code: Some(if ok { 200 } else { 502 }),
            detail: if ok { "HTTP 200" } else { "HTTP 502" }.into(),
        }),
        ..run(Status::Running, None, "")
    }
}

#[test]
fn a_missing_base_image_is_named() {
    // recorded: Debian's dockerd 20.10 (BuildKit) and podman 4.3 without a registry
    let buildkit = "#3 [internal] load metadata for docker.io/library/debian:trixie-slim\n\
        #3 ERROR: failed to do request: Head \"https://registry-1.docker.io/v2/library/debian/manifests/trixie-slim\": dial tcp: lookup registry-1.docker.io: no such host\n\
        failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request";
    let buildkit_tail = " > [internal] load metadata for docker.io/library/debian:trixie-slim:\n------\nfailed to solve with frontend dockerfile.v0";
    let podman = "STEP 1/2: FROM debian:trixie-slim\nError: creating build container: debian:trixie-slim: image not known";
    let legacy = "Step 1/2 : FROM debian:trixie-slim\npull access denied for debian, repository does not exist";
    assert_eq!(missing_image(podman).as_deref(), Some("debian:trixie-slim"));
    assert_eq!(missing_image(legacy).as_deref(), Some("debian"));
    assert_eq!(
        missing_image(buildkit_tail).as_deref(),
        Some("docker.io/library/debian:trixie-slim")
    );
    assert_eq!(
        missing_image(buildkit),
        None,
        "no error on the metadata line itself"
    );
    assert_eq!(missing_image("RUN make: exit code 2"), None);
}

#[test]
fn a_probe_decides_for_servers() {
    let (verdict, reason) = judge(&probed(true), &probed(false), None, None);
    assert_eq!(verdict, Verdict::Failed, "{reason}");
    assert!(reason.contains("HTTP 502"), "{reason}");
    assert_eq!(
        judge(&probed(true), &probed(true), None, None).0,
        Verdict::Ok
    );
    assert_eq!(
        judge(&probed(false), &probed(true), None, None).0,
        Verdict::Repaired
    );
    assert_eq!(
        judge(&probed(false), &probed(false), None, None).0,
        Verdict::CannotRun
    );
}

fn report(verdict: Verdict) -> Report {
    let image = |tag: &str, out: &str| Image {
        tag: tag.into(),
        built: true,
        build_seconds: 1.0,
        size_bytes: Some(1_000_000),
        smoke: Some(run(Status::Exited(0), None, out)),
        ..Image::default()
    };
    Report {
        path: "Dockerfile".into(),
        engine: "podman 4.3.1".into(),
        builder: Builder::Buildah,
        builder_description: Builder::Buildah.describe().into(),
        verdict,
        reason: "r".into(),
        original: image("o", "ORIGINAL-SAYS"),
        rewritten: image("r", "REWRITE-SAYS"),
        ratio: Some(1.0),
        packages_removed: Vec::new(),
        notes: Vec::new(),
    }
}

#[test]
fn a_repaired_report_shows_both_runs() {
    let text = render(&report(Verdict::Repaired));
    assert!(
        text.contains("ORIGINAL-SAYS") && text.contains("REWRITE-SAYS"),
        "{text}"
    );
    assert!(text.contains("verdict: repaired"), "{text}");
    let text = render(&report(Verdict::Ok));
    assert!(!text.contains("ORIGINAL-SAYS"), "{text}");
}
