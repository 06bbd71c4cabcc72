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
