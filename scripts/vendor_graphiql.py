"""Vendor GraphiQL into `api/static/graphiql/`: its assets are served by the application, so the
page works on a machine without internet. Run again only to change a version (then commit the
files it writes); tests and CI never need the network.

    .venv/bin/python scripts/vendor_graphiql.py

Each package is fetched with `npm pack` at the pinned version (the registry's integrity is
checked by npm), and its prebuilt browser bundle is copied with the package's licence.
"""

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "api" / "static" / "graphiql"
PACKAGES = {
    # package@version: {file in the package: name served}
    "graphiql@3.8.3": {
        "graphiql.min.js": "graphiql.min.js",
        "graphiql.min.css": "graphiql.min.css",
        "LICENSE": "LICENSE.graphiql.txt",
    },
    "react@18.2.0": {
        "umd/react.production.min.js": "react.production.min.js",
        "LICENSE": "LICENSE.react.txt",
    },
    "react-dom@18.2.0": {
        "umd/react-dom.production.min.js": "react-dom.production.min.js",
        "LICENSE": "LICENSE.react-dom.txt",
    },
}


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    versions: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for spec, files in PACKAGES.items():
            packed = subprocess.run(
                ["npm", "pack", spec, "--json", "--pack-destination", str(work)],
                check=True,
                capture_output=True,
                text=True,
            )
            (described,) = json.loads(packed.stdout)
            with tarfile.open(work / described["filename"]) as archive:
                archive.extractall(work / described["name"], filter="data")
            package = work / described["name"] / "package"
            for inside, served in files.items():
                shutil.copyfile(package / inside, TARGET / served)
            versions[described["name"]] = {
                "version": described["version"],
                "integrity": described["integrity"],
            }
    (TARGET / "versions.json").write_text(json.dumps(versions, indent=2) + "\n")
    print(f"GraphiQL vendored into {TARGET.relative_to(ROOT)}: {', '.join(PACKAGES)}")


if __name__ == "__main__":
    main()
