use super::*;
use crate::syntax;

fn contract(text: &str) -> Contract {
    let d = syntax::parse(text).unwrap();
    let m = Model::build(&d);
    of(text, &d, &m).unwrap()
}

#[test]
fn inherits_through_stages_and_keeps_base_workdir() {
    let c = contract("FROM golang:1.22 AS b\nENV A=1\nFROM b\nUSER app\nCMD [\"x\"]\n");
    assert_eq!(c.config["ENV A"], "1");
    assert_eq!(c.config["USER"], "app");
    assert_eq!(c.config["WORKDIR"], "/go");
}

#[test]
fn a_lost_entrypoint_script_breaks_it() {
    let before = contract(
        "FROM node:20\nWORKDIR /app\nCOPY . .\nCOPY run.sh /run.sh\nENTRYPOINT [\"/run.sh\"]\n",
    );
    assert!(before.files.contains("/run.sh"));
    let after = contract(
        "FROM node:20 AS builder\nWORKDIR /app\nCOPY . .\nCOPY run.sh /run.sh\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nENTRYPOINT [\"/run.sh\"]\n",
    );
    assert_eq!(
        broken(&before, &after),
        ["the command's file /run.sh is not in the final image"]
    );
}

#[test]
fn shell_form_needs_a_shell_and_config_must_match() {
    let before = contract("FROM debian:bookworm\nCMD echo $HOME\n");
    assert!(before.programs.contains("sh"));
    let after = contract("FROM scratch\nCMD echo $HOME\n");
    let b = broken(&before, &after);
    assert!(b.iter().any(|m| m.contains("`sh`")), "{b:?}");
    let changed = contract("FROM debian:bookworm\nEXPOSE 80\nCMD echo $HOME\n");
    assert_eq!(broken(&before, &changed), ["EXPOSE `80` is added"]);
}

#[test]
fn venv_path_prefix_and_new_variables_are_allowed() {
    let before = contract("FROM python:3.12\nWORKDIR /app\nCMD [\"python\", \"app.py\"]\n");
    let after = contract(
        "FROM python:3.12-slim\nWORKDIR /app\nENV VIRTUAL_ENV=/opt/venv PATH=\"/opt/venv/bin:$PATH\"\nCMD [\"python\", \"app.py\"]\n",
    );
    assert!(broken(&before, &after).is_empty());
    let overrides = contract(
        "FROM python:3.12-slim\nWORKDIR /app\nENV PYTHON_VERSION=2\nCMD [\"python\", \"app.py\"]\n",
    );
    assert_eq!(broken(&before, &overrides).len(), 1);
}

#[test]
fn a_base_entrypoint_runs_before_the_cmd() {
    let before = contract(
        "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY . .\nRUN mvn package\nCMD [\"java\", \"-jar\", \"/app/app.jar\"]\n",
    );
    let split = |cmd: &str| {
        contract(&format!(
            "FROM maven:3.9-eclipse-temurin-21 AS builder\nWORKDIR /app\nCOPY . .\nRUN mvn package\nFROM gcr.io/distroless/java21-debian13:latest\nWORKDIR /app\nCOPY --from=builder /app/app.jar /app/app.jar\nCMD {cmd}\n"
        ))
    };
    // distroless java's ENTRYPOINT is `/usr/bin/java -jar`: the CMD names the jar only
    assert!(broken(&before, &split("[\"/app/app.jar\"]")).is_empty());
    // the CMD as written would run `java -jar java -jar /app/app.jar`
    let doubled = broken(&before, &split("[\"java\", \"-jar\", \"/app/app.jar\"]"));
    assert!(
        doubled.iter().any(|m| m.starts_with("CMD changes")),
        "{doubled:?}"
    );
    // a shell form would be handed to java as arguments
    assert!(!broken(&before, &split("java -jar /app/app.jar")).is_empty());
}

#[test]
fn node_off_path_counts_when_it_is_the_base_entrypoint() {
    let before = contract("FROM node:22\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n");
    let after = contract(
        "FROM node:22 AS b\nWORKDIR /app\nCOPY . .\nFROM gcr.io/distroless/nodejs22-debian13:latest\nWORKDIR /app\nCOPY --from=b /app /app\nCMD [\"server.js\"]\n",
    );
    assert!(after.programs.contains("node"));
    assert!(broken(&before, &after).is_empty());
}

#[test]
fn a_path_the_command_or_env_names_and_the_build_wrote_must_stay() {
    let original = "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN python train.py --out /models/model.joblib\nENV MODEL=/models/model.joblib\nCMD [\"python\", \"serve.py\", \"--model\", \"/models/model.joblib\", \"--port=8000\"]\n";
    let before = contract(original);
    assert!(before.written.contains("/models/model.joblib"));
    let split = |carried: &str| {
        contract(&format!(
            "FROM python:3.11 AS builder\nWORKDIR /app\nCOPY . .\nRUN python train.py --out /models/model.joblib\nFROM python:3.11-slim\nWORKDIR /app\nCOPY --from=builder /app /app\n{carried}ENV MODEL=/models/model.joblib\nCMD [\"python\", \"serve.py\", \"--model\", \"/models/model.joblib\", \"--port=8000\"]\n"
        ))
    };
    assert_eq!(
        broken(&before, &split("")),
        [
            "/models/model.joblib, which the command or an ENV names and the build writes, is not in the final image"
        ]
    );
    let kept = split("COPY --from=builder /models /models\n");
    assert!(broken(&before, &kept).is_empty());
    // a path nothing in the file writes (a volume, the base image's) is not the build's
    let mounted = contract("FROM python:3.11\nENV DATA=/data\nCMD [\"python\", \"-m\", \"app\"]\n");
    assert!(mounted.written.is_empty());
}
