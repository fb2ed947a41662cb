#!/usr/bin/env python3
"""check_vsix.py VSIX PACKAGE_JSON — checks a packaged VS Code extension.

A .vsix is a zip. VS Code installs what is under extension/, so every file
the manifest names (the client's entry point, the grammar, the language
configuration, the snippets) must be there, with the language client the
entry point requires, and the packaged manifest must be the one in the
source tree. Prints one line per check; exits 1 on any failure.
"""
import json
import sys
import zipfile


def main():
    vsix_path, manifest_path = sys.argv[1], sys.argv[2]
    with open(manifest_path, encoding="utf-8") as f:
        source = json.load(f)
    failures = 0

    def check(ok, what, detail=""):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else ": " + detail))
        if not ok:
            failures += 1

    with zipfile.ZipFile(vsix_path) as z:
        names = set(z.namelist())
        check("extension.vsixmanifest" in names, "the package has a VSIX manifest")
        check("extension/package.json" in names, "the package has the extension manifest")
        packaged = json.loads(z.read("extension/package.json"))
        for key in ("name", "version", "main", "engines", "contributes"):
            check(packaged.get(key) == source.get(key), f"packaged package.json keeps `{key}`")

        def inside(rel):
            return "extension/" + rel[2:] if rel.startswith("./") else "extension/" + rel

        main_file = source["main"]
        if not main_file.endswith(".js"):
            main_file += ".js"
        check(inside(main_file) in names, f"the entry point {main_file} is packaged")
        contributes = source["contributes"]
        for lang in contributes.get("languages", []):
            if "configuration" in lang:
                check(inside(lang["configuration"]) in names, f"language configuration {lang['configuration']} is packaged")
        for grammar in contributes.get("grammars", []):
            path = inside(grammar["path"])
            check(path in names, f"grammar {grammar['path']} is packaged")
            if path in names:
                g = json.loads(z.read(path))
                check(g.get("scopeName") == grammar["scopeName"], f"grammar scope is {grammar['scopeName']}",
                      str(g.get("scopeName")))
        for snippet in contributes.get("snippets", []):
            path = inside(snippet["path"])
            check(path in names, f"snippets {snippet['path']} are packaged")
            if path in names:
                check(len(json.loads(z.read(path))) > 0, "the snippets file is not empty")
        check("extension/node_modules/vscode-languageclient/package.json" in names,
              "the language client the entry point requires is packaged")
        entry = z.read(inside(main_file)).decode("utf-8") if inside(main_file) in names else ""
        check("vscode-languageclient" in entry and '"lsp"' in entry.replace("'", '"'),
              "the entry point starts the server with `journeyc lsp` through vscode-languageclient")
        check(not any(n.startswith("extension/node_modules/@vscode/vsce/") for n in names),
              "the packaging tool itself is not packaged")
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
