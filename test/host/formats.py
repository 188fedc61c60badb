#!/usr/bin/python3
"""Checks hotshim's machine-readable outputs with real parsers.

  formats.py json FILE...         each FILE against docs/report.schema.json
                                  (jsonschema, JSON Schema 2020-12)
  formats.py prometheus FILE...   each FILE with prometheus_client's parser
                                  of the text exposition format
  formats.py get FILE EXPR        prints a value of FILE's JSON, EXPR a
                                  Python expression over `d` (a string as
                                  it is, anything else as JSON)

Prints one line per file and exits 1 when any fails.  Runs Debian's
/usr/bin/python3 (python3-jsonschema, python3-prometheus-client).
"""
import json
import os
import sys

import jsonschema
from prometheus_client.parser import text_string_to_metric_families

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError("duplicate member " + ", ".join(sorted(dup)))
    return dict(pairs)


def check_json(path, validator):
    with open(path) as f:
        doc = json.load(f, object_pairs_hook=no_duplicates)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.path) or "(top)"
        return f"{path}: {where}: {e.message}"
    return None


def check_prometheus(path):
    with open(path) as f:
        text = f.read()
    families = list(text_string_to_metric_families(text))
    names = {f.name for f in families}
    for need in ("hotshim_report_info", "hotshim_removable", "hotshim_node_hotplug_bytes"):
        if need not in names:
            return f"{path}: no {need} family"
    seen = set()
    for fam in families:
        if fam.type != "gauge":
            return f"{path}: {fam.name} is a {fam.type}, not a gauge"
        for s in fam.samples:
            key = (s.name, tuple(sorted(s.labels.items())))
            if key in seen:
                return f"{path}: {s.name}{s.labels} twice"
            seen.add(key)
    return None


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    kind, files = argv[1], argv[2:]
    if kind == "get":
        with open(files[0]) as f:
            d = json.load(f)
        v = eval(files[1], {"d": d})
        print(v if isinstance(v, str) else json.dumps(v))
        return 0
    bad = 0
    if kind == "json":
        with open(os.path.join(ROOT, "docs", "report.schema.json")) as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
    for path in files:
        try:
            err = check_json(path, validator) if kind == "json" else check_prometheus(path)
        except Exception as e:  # a parser's refusal is the finding
            err = f"{path}: {type(e).__name__}: {e}"
        if err:
            print("formats: " + err)
            bad += 1
        else:
            print(f"formats: {path}: ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
