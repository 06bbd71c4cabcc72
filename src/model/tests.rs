use super::*;
use crate::syntax::parse;

#[test]
fn stages_and_refs() {
    let src = "ARG GO=1.22\nFROM --platform=$BUILDPLATFORM golang:${GO} AS build\nRUN go build\nFROM scratch\nRUN --mount=type=bind,from=build,target=/x true\nCOPY --from=0 /a /a\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=bilder /b /b\n";
    let doc = parse(src).unwrap();
    let m = Model::build(&doc);
    assert_eq!(m.stages.len(), 2);
    assert_eq!(m.stages[0].name.as_deref(), Some("build"));
    assert_eq!(
        m.stages[0].base_resolved.as_ref().unwrap().tag.as_deref(),
        Some("1.22")
    );
    assert_eq!(m.stages[0].platform.as_deref(), Some("$BUILDPLATFORM"));
    let targets: Vec<_> = m
        .refs
        .iter()
        .map(|r| (r.value.as_str(), r.target.clone()))
        .collect();
    assert_eq!(
        targets,
        [
            ("build", Target::Stage(0)),
            ("0", Target::Stage(0)),
            ("nginx:1.27", Target::Image),
            ("bilder", Target::Unresolved),
        ]
    );
    let mount = &m.refs[0];
    assert_eq!(m.resolve_mount(1, "0"), Target::Unresolved);
    assert_eq!(&src[mount.span.clone().unwrap()], "build");
    assert!(!m.is_leaf(0));
    assert!(m.is_leaf(1));
}

#[test]
fn buildkit_resolution_rules() {
    let src = "ARG B=app\nFROM app\nFROM alpine AS app\nFROM ${B} AS self\nCOPY --from=+0 /a /a\nCOPY --from=self /b /b\nCOPY --from=later /c /c\nRUN --mount=from=1,target=/m true\nFROM scratch AS later\n";
    let m = Model::build(&parse(src).unwrap());
    // FROM looks at earlier stages only, after expanding global ARGs
    assert_eq!(m.stages[0].base_stage, None);
    assert_eq!(m.stages[2].base_stage, Some(1));
    assert_eq!(m.stages[2].base_expanded.as_deref(), Some("app"));
    let targets: Vec<_> = m
        .refs
        .iter()
        .map(|r| (r.value.as_str(), r.target.clone()))
        .collect();
    assert_eq!(
        targets,
        [
            ("${B}", Target::Stage(1)),
            ("+0", Target::Stage(0)),
            ("self", Target::SelfStage),
            ("later", Target::Stage(3)),
            ("1", Target::Unresolved),
        ]
    );
    assert!(m.is_image_reference("APP"));
    assert!(m.is_image_reference("alpine"));
    assert!(!m.is_image_reference("later"));
    assert!(is_stage_name("Build.x_1-2"));
    assert!(!is_stage_name("1build") && !is_stage_name("a b") && !is_stage_name(""));
}

#[test]
fn build_after_takes_over_unchanged_readings_only() {
    let before = parse("FROM a\nENV P C:\\\\go\nCOPY x /y\n").unwrap();
    let after = parse("FROM a AS b\nENV P C:\\\\go\nCOPY x /z\n").unwrap();
    let fresh = Model::build(&after);
    let reused = Model::build_after(&after, &Model::build(&before));
    for i in 0..after.instructions.len() {
        assert_eq!(
            fresh.reading(i).map(|r| (&r.reading, r.understood())),
            reused.reading(i).map(|r| (&r.reading, r.understood())),
            "instruction {i}"
        );
    }
    assert!(!reused.understood(1));
    assert_eq!(reused.stages[0].name.as_deref(), Some("b"));
}
