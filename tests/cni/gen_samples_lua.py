#!/usr/bin/env python3
"""Writes lua/cni/samples.lua from tests/corpus/cni-samples/*.conf.

A scenario cannot read files (the sandbox has no io), so the CNI samples
reach the scenarios as a data module, byte for byte: each file's text in a
Lua long string; a file with CRLF line ends is stored with LF and marked,
and the module puts the CR back. tests/cni/test_cni_samples_embedded.sh
checks that the module gives exactly the corpus bytes.

Usage: gen_samples_lua.py CORPUS_DIR OUT_FILE
"""
import os
import sys

corpus, out = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(corpus) if n.endswith(".conf"))
lines = [
    "-- cni/samples.lua: the CNI configurations of tests/corpus/cni-samples",
    "-- (copied from ../shared/reference/cni-samples; provenance in that folder's",
    "-- SOURCES.md), byte for byte, for scenarios, which cannot read files.",
    "-- Written by tests/cni/gen_samples_lua.py; do not edit by hand;",
    "-- tests/cni/test_cni_samples_embedded.sh checks it against the corpus.",
    "--",
    "-- samples[name] -> the file's text; samples.names -> the names, sorted.",
    "",
    "local raw = {}",
    "",
]
for name in names:
    data = open(os.path.join(corpus, name), "rb").read()
    text = data.decode("utf-8")
    crlf = "\r\n" in text
    if crlf:
        if text.replace("\r\n", "") .count("\r") or text.replace("\r\n", "").count("\n"):
            sys.exit(f"{name}: mixed line ends, not supported")
        text = text.replace("\r\n", "\n")
    elif "\r" in text:
        sys.exit(f"{name}: CR without LF, not supported")
    level = 1
    while ("]" + "=" * level + "]") in text:
        level += 1
    eq = "=" * level
    if text.startswith("\n"):
        sys.exit(f"{name}: starts with a newline, which a long string drops")
    lines.append(f"raw[{name!r}] = {{crlf = {'true' if crlf else 'false'}, text = [{eq}[")
    lines.append(text + f"]{eq}]}}")
    lines.append("")
lines += [
    "local M = {names = {}}",
    "for name, s in sorted_pairs(raw) do",
    "  M.names[#M.names + 1] = name",
    "  M[name] = s.crlf and s.text:gsub(\"\\n\", \"\\r\\n\") or s.text",
    "end",
    "",
    "return M",
    "",
]
with open(out, "w", newline="\n") as f:
    f.write("\n".join(lines))
