//! The safe level never changes what a reference builds on.
//!
//! Generated multi-stage files (stage names that equal image names, FROMs
//! through ARG defaults, `--from=` images, names and indices, mount `from=`)
//! are rewritten at `--safety safe`; every FROM, `COPY/ADD --from=` and
//! `RUN --mount=…,from=` must resolve to the same stage index or image before
//! and after. Resolution here is written from BuildKit's rules
//! (dockerfile2llb/convert.go: FROM looks at earlier stages after expanding
//! global ARGs; `--from` takes an `Atoi` index or any stage's name;
//! convert_runmount.go: mount `from=` takes names only), independently of
//! `slimfile::model`, so a wrong model cannot hide a wrong rewrite.
//!
//! Also: the fuzz regression inputs never make name-stages fail internally.

use std::collections::HashMap;

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use slimfile::config::Settings;
use slimfile::syntax::{self, Keyword};

/// What one reference resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resolved {
    Stage(usize),
    /// An image or named build context, by its lower-cased reference.
    Image(String),
    /// BuildKit refuses it (bad index, own stage, unset variable).
    Error,
}

/// Every reference of `text` in order: (line kind, what it resolves to).
fn resolutions(text: &str) -> Vec<(&'static str, Resolved)> {
    let doc = syntax::parse(text).expect("generated files parse");
    let mut global: HashMap<String, Option<String>> = HashMap::new();
    let mut names: Vec<Option<String>> = Vec::new();
    let mut stage_of = Vec::new();
    for ins in &doc.instructions {
        if ins.keyword == Keyword::From {
            let w = ins.words();
            let name = (w.len() >= 3 && w[1].value.eq_ignore_ascii_case("as"))
                .then(|| w[2].value.to_ascii_lowercase());
            names.push(name);
        } else if names.is_empty() && ins.keyword == Keyword::Arg {
            for w in ins.words() {
                match w.value.split_once('=') {
                    Some((k, v)) => global.insert(k.to_string(), Some(v.to_string())),
                    None => global.insert(w.value.clone(), None),
                };
            }
        }
        stage_of.push(names.len().checked_sub(1));
    }
    let last_named = |name: &str, below: usize| {
        let lower = name.to_ascii_lowercase();
        (0..below.min(names.len()))
            .rev()
            .find(|&i| names[i].as_deref() == Some(lower.as_str()))
    };
    let by_name = |current: usize, name: &str| match last_named(name, names.len()) {
        Some(i) if i == current => Resolved::Error,
        Some(i) => Resolved::Stage(i),
        None => Resolved::Image(name.to_ascii_lowercase()),
    };
    let mut out = Vec::new();
    let mut stage = 0;
    for (n, ins) in doc.instructions.iter().enumerate() {
        let Some(current) = stage_of[n] else { continue };
        match ins.keyword {
            Keyword::From => {
                stage = current;
                let base = ins
                    .words()
                    .first()
                    .map(|w| w.value.clone())
                    .unwrap_or_default();
                let resolved = match slimfile::image::expand(&base, &global) {
                    None => Resolved::Error,
                    Some(b) => match last_named(&b, stage) {
                        Some(i) => Resolved::Stage(i),
                        None => Resolved::Image(b.to_ascii_lowercase()),
                    },
                };
                out.push(("FROM", resolved));
            }
            Keyword::Copy | Keyword::Add => {
                if let Some(v) = ins.flag("from").and_then(|f| f.value.as_deref()) {
                    let resolved = match v.parse::<i64>() {
                        Ok(i) if i >= 0 && (i as usize) < stage => Resolved::Stage(i as usize),
                        Ok(_) => Resolved::Error,
                        Err(_) => by_name(stage, v),
                    };
                    out.push(("--from", resolved));
                }
            }
            Keyword::Run => {
                for f in ins.flags.iter().filter(|f| f.name == "mount") {
                    let from = f.value.as_deref().and_then(|v| {
                        v.split(',')
                            .filter_map(|p| p.split_once('='))
                            .find(|(k, _)| k.eq_ignore_ascii_case("from"))
                            .map(|(_, v)| v.to_string())
                    });
                    if let Some(v) = from {
                        out.push(("mount from", by_name(stage, &v)));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// A multi-stage file where names, images and references collide on purpose.
fn generated(seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let images = [
        "busybox",
        "alpine",
        "bash",
        "node:20",
        "golang:1.22",
        "Busybox",
        "docker.io/library/alpine:3.19",
    ];
    let names = [
        "busybox", "alpine", "build", "builder", "base", "node", "app", "BUSYBOX",
    ];
    let mut s = String::new();
    if rng.random_bool(0.5) {
        s.push_str(&format!(
            "ARG IMG={}\n",
            pick(&mut rng, &["busybox", "alpine", "base", "node-stage"])
        ));
    }
    if rng.random_bool(0.3) {
        s.push_str("ARG UNSET\n");
    }
    let stages = rng.random_range(1..6);
    let mut defined: Vec<String> = Vec::new();
    for i in 0..stages {
        let base = match rng.random_range(0..10) {
            0 => "${IMG:-busybox}".to_string(),
            1 => "$IMG".to_string(),
            2 if !defined.is_empty() => defined[rng.random_range(0..defined.len())].clone(),
            _ => pick(&mut rng, &images).to_string(),
        };
        s.push_str(&format!("FROM {base}"));
        if rng.random_bool(0.35) {
            let name = pick(&mut rng, &names);
            let kw = if rng.random_bool(0.3) { "as" } else { "AS" };
            s.push_str(&format!(" {kw} {name}"));
            defined.push(name.to_string());
        }
        s.push('\n');
        s.push_str("RUN touch /x\n");
        for _ in 0..rng.random_range(0..3) {
            let from = match rng.random_range(0..4) {
                0 => rng.random_range(0..(i + 2)).to_string(),
                1 if !defined.is_empty() => defined[rng.random_range(0..defined.len())].clone(),
                2 => pick(
                    &mut rng,
                    &["bash", "busybox", "buildr", "bulid", "linked", "dot-cargo"],
                )
                .to_string(),
                _ => pick(&mut rng, &images).to_string(),
            };
            if rng.random_bool(0.7) {
                s.push_str(&format!("COPY --from={from} /x /x{i}\n"));
            } else {
                s.push_str(&format!(
                    "RUN --mount=type=bind,from={from},target=/m ls /m || true\n"
                ));
            }
        }
    }
    s.push_str("CMD [\"sh\"]\n");
    s
}

fn safe() -> Settings {
    Settings {
        safety: "safe".parse().expect("a safety level"),
        ..Settings::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn safe_rewrites_keep_every_reference_target(seed in any::<u64>()) {
        let text = generated(seed);
        let out = slimfile::engine::rewrite(text.as_bytes(), &safe(), None)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let before = resolutions(&text);
        let after = resolutions(&out.output);
        prop_assert_eq!(before, after, "input:\n{}\noutput:\n{}", text, out.output);
    }
}

#[test]
fn busybox_named_stage_does_not_capture_a_later_from() {
    for text in [
        "FROM busybox\nRUN touch /x\nFROM busybox\nRUN ls /x || echo no-x\n",
        "ARG B=busybox\nFROM busybox\nRUN touch /x\nFROM ${B}\nRUN ls /x || echo no-x\n",
        "FROM busybox\nRUN touch /x\nFROM alpine\nCOPY --from=BusyBox /bin/busybox /b\n",
    ] {
        let out = slimfile::engine::rewrite(text.as_bytes(), &safe(), None).unwrap();
        assert_eq!(
            resolutions(text),
            resolutions(&out.output),
            "{}",
            out.output
        );
        assert!(
            out.output.contains(" AS "),
            "stage 0 is still named: {}",
            out.output
        );
    }
}

#[test]
fn fuzz_regressions_never_fail_internally_in_name_stages() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/rewrite_bytes");
    let settings = Settings {
        safety: "unsafe".parse().expect("a safety level"),
        select: Some(vec!["name-stages".to_string()]),
        ..Settings::default()
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions/rewrite_bytes exists") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        checked += 1;
        if let Err(slimfile::engine::RewriteError::Internal(e)) =
            slimfile::engine::rewrite(&bytes, &settings, None)
        {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(checked > 100, "only {checked} regression inputs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
