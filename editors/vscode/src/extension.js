// The Journey extension: starts `journeyc lsp` (the language server built
// into the compiler) and connects it to VS Code through vscode-languageclient.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("journey");
  const command = config.get("server.path") || "journeyc";
  const run = { command, args: ["lsp"], transport: TransportKind.stdio };
  return { run, debug: run };
}

function clientOptions() {
  const config = vscode.workspace.getConfiguration("journey");
  const initializationOptions = {};
  const docsUrl = config.get("diagnosticsDocsUrl");
  if (docsUrl) initializationOptions.diagnosticsDocsUrl = docsUrl;
  return {
    documentSelector: [
      { scheme: "file", language: "journey" },
      { scheme: "untitled", language: "journey" },
    ],
    initializationOptions,
    outputChannel: output,
  };
}

async function startClient() {
  client = new LanguageClient("journey", "Journey Language Server", serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (err) {
    const path = vscode.workspace.getConfiguration("journey").get("server.path") || "journeyc";
    vscode.window.showErrorMessage(
      `Journey: could not start the language server \`${path} lsp\` (${err && err.message ? err.message : err}). ` +
        "Set `journey.server.path` to the journeyc binary."
    );
  }
}

async function stopClient() {
  if (!client) return;
  const old = client;
  client = undefined;
  try {
    await old.stop();
  } catch (_) {
    // The server may already be gone; nothing to clean up.
  }
}

async function activate(context) {
  output = vscode.window.createOutputChannel("Journey");
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand("journey.restartServer", async () => {
      await stopClient();
      await startClient();
    })
  );

  // A new server path or docs URL takes effect by restarting the server.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("journey.server.path") || event.affectsConfiguration("journey.diagnosticsDocsUrl")) {
        await stopClient();
        await startClient();
      }
    })
  );

  await startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
