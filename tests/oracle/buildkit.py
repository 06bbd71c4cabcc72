"""BuildKit's own parser (PyPI `dockerfile`, which wraps BuildKit's Go parser) as a test oracle.

Usage: python buildkit.py FILE...  → JSON on stdout, one entry per file:
  {"ok": true, "instructions": [[CMD, START_LINE, END_LINE], ...]}  or  {"ok": false, "error": "..."}
BuildKit v0.12's parser accepts unknown instruction words that today's BuildKit rejects, so an
unknown word counts as an error here.
"""
import json
import sys

import dockerfile

KNOWN = {
    "from", "run", "cmd", "label", "maintainer", "expose", "env", "add", "copy", "entrypoint",
    "volume", "user", "workdir", "arg", "onbuild", "stopsignal", "healthcheck", "shell",
}


def check(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return {"ok": False, "error": f"not utf-8: {e}"}
    try:
        cmds = dockerfile.parse_string(text)
    except dockerfile.GoParseError as e:
        return {"ok": False, "error": str(e)}
    unknown = [c.cmd for c in cmds if c.cmd.lower() not in KNOWN]
    if unknown:
        return {"ok": False, "error": f"unknown instruction: {unknown[0]}"}
    if not cmds:
        return {"ok": False, "error": "file with no instructions"}
    # BuildKit's dispatcher (not its parser) refuses anything but ARG before the first FROM.
    first = next((c for c in cmds if c.cmd.lower() != "arg"), None)
    if first is not None and first.cmd.lower() != "from":
        return {"ok": False, "error": "no build stage in current context"}
    return {"ok": True, "instructions": [[c.cmd.upper(), c.start_line, c.end_line] for c in cmds]}


if __name__ == "__main__":
    print(json.dumps({p: check(p) for p in sys.argv[1:]}))
