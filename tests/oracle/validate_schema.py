"""Validates JSON documents (one file path each) against a JSON Schema with the `jsonschema`
package (PyPI). Usage: validate_schema.py SCHEMA DOC...  Prints each violation; exit 1 if any."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator = jsonschema.validators.validator_for(schema)(schema)
bad = 0
for path in sys.argv[2:]:
    for error in validator.iter_errors(json.load(open(path))):
        bad += 1
        where = "/".join(str(p) for p in error.absolute_path)
        rule = "/".join(str(p) for p in error.schema_path)
        print(f"{path}: {where}: [{rule}] {error.message[-300:]}")
print(f"{len(sys.argv) - 2} document(s), {bad} violation(s)")
sys.exit(1 if bad else 0)
