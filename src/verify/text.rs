//! The human report of one verify: both builds, their smoke runs and probes, the size ratio, the attack surface,
//! the output of what failed, and the verdict.

use super::{Image, Report, Verdict, surface};

fn mb(bytes: Option<u64>) -> String {
    bytes.map_or("size unknown".into(), |b| {
        format!("{:.1} MB", b as f64 / 1_000_000.0)
    })
}

/// The human report.
pub fn render(r: &Report) -> String {
    use std::fmt::Write;
    let mut s = format!(
        "{}: verify with {}\n  builder    {}\n",
        r.path, r.engine, r.builder_description
    );
    for (label, image) in [("original ", &r.original), ("rewritten", &r.rewritten)] {
        if image.build_seconds != 0.0 {
            image_line(&mut s, label, image);
        }
    }
    if let Some(ratio) = r.ratio {
        let _ = writeln!(
            s,
            "  size       {} → {}: {ratio:.1}× smaller",
            mb(r.original.size_bytes),
            mb(r.rewritten.size_bytes)
        );
    }
    if let (Some(a), Some(b)) = (&r.original.surface, &r.rewritten.surface) {
        let _ = writeln!(s, "  attack surface: {}", surface::compare(a, b));
        if !r.packages_removed.is_empty() {
            let shown: Vec<&str> = r
                .packages_removed
                .iter()
                .take(12)
                .map(String::as_str)
                .collect();
            let more = r.packages_removed.len() - shown.len();
            let _ = writeln!(
                s,
                "  packages removed: {}{}",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
    }
    for note in &r.notes {
        let _ = writeln!(s, "  info: {note}");
    }
    for (label, image) in [("original", &r.original), ("rewritten", &r.rewritten)] {
        if let Some(e) = &image.build_error {
            let _ = writeln!(s, "--- {label} build output (last lines) ---\n{e}");
        }
    }
    // a failure shows the failing run; a repair both runs (the broken original and the fix)
    let shown: &[(&str, &Image)] = match r.verdict {
        Verdict::Failed => &[("rewritten", &r.rewritten)],
        Verdict::Repaired | Verdict::CannotRun => {
            &[("original", &r.original), ("rewritten", &r.rewritten)]
        }
        Verdict::Ok | Verdict::Unchanged => &[],
    };
    for (label, image) in shown {
        if let Some(sm) = &image.smoke {
            let _ = writeln!(
                s,
                "--- {label} smoke output (last lines) ---\n{}",
                sm.output
            );
        }
    }
    let verdict = match r.verdict {
        Verdict::Ok => "ok",
        Verdict::Repaired => "repaired",
        Verdict::Failed => "FAILED",
        Verdict::CannotRun => "cannot verify",
        Verdict::Unchanged => "unchanged",
    };
    let _ = writeln!(s, "verdict: {verdict}: {}", r.reason);
    s
}

/// One image's line: its build, size, smoke run and probe.
fn image_line(s: &mut String, label: &str, image: &Image) {
    use std::fmt::Write;
    let _ = write!(s, "  {label}  ");
    if image.built {
        let _ = write!(
            s,
            "built in {:.1} s, {}",
            image.build_seconds,
            mb(image.size_bytes)
        );
    } else {
        let _ = write!(s, "build FAILED after {:.1} s", image.build_seconds);
    }
    if let Some(sm) = &image.smoke {
        let _ = write!(s, ", smoke: {} in {:.1} s", sm.status, sm.seconds);
        match sm.expected_found {
            Some(true) => s.push_str(" (expected text found)"),
            Some(false) => s.push_str(" (expected text NOT found)"),
            None => {}
        }
        if let Some(p) = &sm.probe {
            let _ = write!(
                s,
                ", probe {}: {}",
                p.url,
                if p.ok {
                    p.detail.clone()
                } else {
                    format!("FAILED, {}", p.detail)
                }
            );
        }
    }
    s.push('\n');
}
