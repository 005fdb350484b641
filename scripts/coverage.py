#!/usr/bin/env python3
"""Line and branch coverage from coverlet's Cobertura file: totals, one line per feature folder, and a floor.

    scripts/coverage.py coverage.cobertura.xml [--floor LINE_PERCENT]
Exits 1 when line coverage is under the floor, so coverage can only rise.
"""
import collections
import re
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
floor = float(sys.argv[sys.argv.index("--floor") + 1]) if "--floor" in sys.argv else 0.0
root = ET.parse(path).getroot()

# Per source line: hit or not, and branches covered/total (a line may appear in several methods: keep the best).
lines = {}
for cls in root.iter("class"):
    filename = cls.get("filename").replace("\\", "/")
    for line in cls.iter("line"):
        key = (filename, int(line.get("number")))
        hits = int(line.get("hits"))
        covered, total = 0, 0
        match = re.search(r"\((\d+)/(\d+)\)", line.get("condition-coverage") or "")
        if match:
            covered, total = int(match.group(1)), int(match.group(2))
        old = lines.get(key, (0, 0, 0))
        lines[key] = (max(old[0], hits), max(old[1], covered), max(old[2], total))


def folder(filename):
    parts = filename.split("/")
    for anchor in ("Features", "Infrastructure"):
        if anchor in parts:
            i = parts.index(anchor)
            return "/".join(parts[i:i + 2]) if len(parts) > i + 2 else anchor
    return "(root)"


groups = collections.defaultdict(lambda: [0, 0, 0, 0])
for (filename, _), (hits, covered, total) in lines.items():
    for name in (folder(filename), "total"):
        g = groups[name]
        g[0] += 1 if hits > 0 else 0
        g[1] += 1
        g[2] += covered
        g[3] += total


def pct(a, b):
    return 100.0 * a / b if b else 100.0


for name in sorted(k for k in groups if k != "total"):
    g = groups[name]
    print(f"coverage {name:<34} lines {pct(g[0], g[1]):5.1f}% ({g[0]}/{g[1]})  branches {pct(g[2], g[3]):5.1f}%")
t = groups["total"]
line_pct = pct(t[0], t[1])
print(f"coverage TOTAL lines {line_pct:.1f}% ({t[0]}/{t[1]}), branches {pct(t[2], t[3]):.1f}% ({t[2]}/{t[3]}); floor {floor:.1f}%")
if line_pct < floor:
    print(f"FAILED coverage: {line_pct:.1f}% of lines is under the floor of {floor:.1f}%")
    sys.exit(1)
