"""Assert that this Python has exactly the versions a pins file names, and print them for the CI log.

    python .ci/versions.py .ci/colab.txt        (lines 'name==version'; comments and blank lines ignored)
    python .ci/versions.py .ci/colab.txt .ci/classic.txt     (a later file's pin replaces an earlier one's)
"""
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def pins(path):
    for line in Path(path).read_text().splitlines():
        found = re.match(r"\s*([A-Za-z0-9_.-]+)==([^\s#;]+)", line)
        if found:
            yield found.groups()


def main(*paths):
    wrong, seen = [], []
    wanted_by_name = {}
    for path in paths:
        wanted_by_name.update((name.lower().replace("_", "-"), (name, wanted)) for name, wanted in pins(path))
    for name, wanted in wanted_by_name.values():
        try:
            have = version(name)
        except PackageNotFoundError:
            have = "missing"
        # '3.7' pins 3.7.0; compare release numbers padded with zeros
        same = [int(p) for p in re.findall(r"\d+", have)[:3]] + [0] * 3
        same = same[:3] == ([int(p) for p in wanted.split(".")] + [0] * 3)[:3]
        seen.append(f"{name} {have}")
        if not same:
            wrong.append(f"{name}: want {wanted}, have {have}")
    files = " + ".join(Path(path).name for path in paths)
    print(f"{files}: Python {sys.version.split()[0]}, " + ", ".join(seen))
    if wrong:
        sys.exit(f"versions differ from {files}:\n  " + "\n  ".join(wrong))


if __name__ == "__main__":
    main(*sys.argv[1:])
