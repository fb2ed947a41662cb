#!/usr/bin/env node
// Tokenizes the golden cases of golden.json with the Journey TextMate grammar
// (editors/vscode/syntaxes/journey.tmLanguage.json) through vscode-textmate and
// vscode-oniguruma, the engine VS Code itself uses, and fails on any
// difference. Then tokenizes every examples/*.journey file and fails when a
// file leaves an open string or comment behind or has an `invalid` token.
//
//   node test_grammar.js            # run the tests
//   node test_grammar.js --update   # rewrite the expected tokens in golden.json (review the diff!)
//
// golden.json is a list of cases { "name", "lines": [...], "tokens": [[...], ...] }:
// tokens[i] lists the tokens of lines[i] as [text, scopes], scopes being the
// token's scopes below `source.journey`, space-separated ("" for none).
// Tokens that are only white space with no scope of their own are left out.
// It also checks that editors/vscode/package.json names files that exist.
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const ROOT = path.resolve(__dirname, "..", "..", "..");
const GRAMMAR = path.join(ROOT, "editors", "vscode", "syntaxes", "journey.tmLanguage.json");
const GOLDEN = path.join(__dirname, "golden.json");
const SCOPE = "source.journey";

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== SCOPE) return null;
      return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, "utf8"), GRAMMAR);
    },
  });
  const grammar = await registry.loadGrammar(SCOPE);
  if (!grammar) throw new Error(`cannot load ${GRAMMAR}`);
  return grammar;
}

// Tokenizes lines (carrying the rule stack across them); returns, per line,
// [text, scopes] pairs and the final rule stack.
function tokenize(grammar, lines) {
  let stack = vsctm.INITIAL;
  const out = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, stack, 5000);
    if (r.stoppedEarly) throw new Error(`tokenizing stopped early on: ${line}`);
    const tokens = [];
    for (const t of r.tokens) {
      const text = line.substring(t.startIndex, t.endIndex);
      const scopes = t.scopes.filter((s) => s !== SCOPE).join(" ");
      if (text.trim() === "" && scopes === "") continue;
      tokens.push([text, scopes]);
    }
    out.push(tokens);
    stack = r.ruleStack;
  }
  return { tokens: out, stack };
}

function show(tokens) {
  return tokens.map(([t, s]) => `    ${JSON.stringify(t)} -> ${s || "(none)"}`).join("\n");
}

// Checks editors/vscode/package.json: the grammar, snippets and language
// configuration it names exist and are valid JSON, and the ids agree.
function checkManifest() {
  const dir = path.join(ROOT, "editors", "vscode");
  const problems = [];
  const readJson = (rel) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, rel), "utf8"));
    } catch (err) {
      problems.push(`${rel}: ${err.message}`);
      return null;
    }
  };
  const pkg = readJson("package.json");
  if (pkg) {
    const c = pkg.contributes || {};
    const lang = (c.languages || []).find((l) => l.id === "journey");
    if (!lang) problems.push("no language `journey`");
    else {
      if (!(lang.extensions || []).includes(".journey")) problems.push("language journey lacks .journey");
      if (lang.configuration) readJson(lang.configuration);
    }
    const gr = (c.grammars || []).find((g) => g.language === "journey");
    if (!gr) problems.push("no grammar for journey");
    else {
      const g = readJson(gr.path);
      if (g && g.scopeName !== gr.scopeName) problems.push(`grammar scopeName ${g.scopeName} != ${gr.scopeName}`);
      if (path.resolve(dir, gr.path) !== GRAMMAR) problems.push(`grammar path ${gr.path} is not the tested grammar`);
    }
    for (const s of c.snippets || []) {
      const snippets = readJson(s.path);
      if (snippets) for (const [name, sn] of Object.entries(snippets)) {
        if (!sn.prefix || !Array.isArray(sn.body)) problems.push(`snippet ${name}: needs prefix and body`);
      }
    }
    const props = (c.configuration || {}).properties || {};
    if (!props["journey.server.path"] || props["journey.server.path"].default !== "journeyc") problems.push("journey.server.path must default to journeyc");
    if (!props["journey.diagnosticsDocsUrl"]) problems.push("journey.diagnosticsDocsUrl missing");
    if (!fs.existsSync(path.join(dir, pkg.main || ""))) problems.push(`main ${pkg.main} missing`);
  }
  if (problems.length) console.error(`FAIL editors/vscode manifest:\n  ${problems.join("\n  ")}`);
  return problems.length ? 1 : 0;
}

async function main() {
  const update = process.argv.includes("--update");
  const grammar = await loadGrammar();
  const cases = JSON.parse(fs.readFileSync(GOLDEN, "utf8"));
  let failures = 0;
  let checked = 0;

  for (const c of cases) {
    const { tokens } = tokenize(grammar, c.lines);
    if (update) {
      c.tokens = tokens;
      continue;
    }
    for (let i = 0; i < c.lines.length; i++) {
      checked++;
      const want = (c.tokens || [])[i] || [];
      const got = tokens[i];
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        failures++;
        console.error(`FAIL ${c.name}, line ${i + 1}: ${c.lines[i]}`);
        console.error(`  expected:\n${show(want)}\n  got:\n${show(got)}`);
      }
    }
  }

  if (update) {
    // One token per line keeps the file reviewable in diffs.
    const text = "[\n" + cases.map((c) => {
      const lines = c.lines.map((l) => `      ${JSON.stringify(l)}`).join(",\n");
      const toks = c.tokens.map((line) =>
        "      [\n" + line.map((t) => `        ${JSON.stringify(t)}`).join(",\n") + "\n      ]").join(",\n");
      return `  {\n    "name": ${JSON.stringify(c.name)},\n    "lines": [\n${lines}\n    ],\n    "tokens": [\n${toks}\n    ]\n  }`;
    }).join(",\n") + "\n]\n";
    fs.writeFileSync(GOLDEN, text);
    console.log(`updated ${GOLDEN} (${cases.length} cases)`);
    return 0;
  }

  // The extension's manifest must point at files that exist and parse.
  failures += checkManifest();
  checked++;

  // Every example must tokenize cleanly: back at the top level at the end,
  // and no invalid tokens.
  const examples = fs.readdirSync(path.join(ROOT, "examples")).filter((f) => f.endsWith(".journey")).sort();
  for (const f of examples) {
    const lines = fs.readFileSync(path.join(ROOT, "examples", f), "utf8").split(/\r?\n/);
    const { tokens, stack } = tokenize(grammar, lines);
    checked++;
    const bad = [];
    tokens.forEach((line, i) => line.forEach(([t, s]) => {
      if (/\binvalid\b/.test(s)) bad.push(`line ${i + 1}: ${JSON.stringify(t)} -> ${s}`);
    }));
    // The rule stack of a file that ends at the top level has depth 1.
    if (stack.depth !== 1) bad.push(`ends inside a string, comment or interpolation (rule stack depth ${stack.depth})`);
    if (bad.length) {
      failures++;
      console.error(`FAIL examples/${f}:\n  ${bad.join("\n  ")}`);
    }
  }

  console.log(`${checked - failures}/${checked} checks passed (${cases.length} golden cases, ${examples.length} examples)`);
  return failures ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(2);
});
