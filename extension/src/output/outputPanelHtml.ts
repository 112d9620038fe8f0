/**
 * The output panel's page: a static skeleton the webview script (extension/webview/, built to
 * media/output/outputPanel.js) fills in, under a nonce Content-Security-Policy that loads only
 * from media/.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { MAX_SEARCH_CHARS } from './outputProtocol';

/** A static page: no run text in it (that arrives by message and is set with textContent). */
export function webviewHtml(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'output', 'outputPanel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'output', 'outputPanel.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(style.toString())}">
<title>Run output</title>
</head>
<body>
<header id="header">
  <div class="header-row">
    <span id="state" class="badge" role="status">…</span>
    <span id="elapsed" class="elapsed" title="Run time"></span>
    <span id="exits" class="exits"></span>
    <span class="spacer"></span>
    <button id="cancel" type="button" title="End every process of the run">Cancel</button>
    <button id="openLog" type="button" title="Open the whole output log in an editor">Open Log</button>
  </div>
  <div id="summary" class="summary"></div>
  <div id="charts" class="charts" hidden></div>
</header>
<nav class="toolbar">
  <label class="filter-label">Show <select id="filter" title="Whose lines to show"><option value="all">All</option></select></label>
  <div class="search">
    <input id="search" type="search" placeholder="Search" aria-label="Search" spellcheck="false" maxlength="${MAX_SEARCH_CHARS}">
    <button id="searchCase" type="button" class="toggle" title="Match case" aria-pressed="false">Aa</button>
    <button id="searchRegex" type="button" class="toggle" title="Regular expression" aria-pressed="false">.*</button>
    <span id="matchCount" class="match-count"></span>
    <button id="prevMatch" type="button" title="Previous match (Shift+Enter)">↑</button>
    <button id="nextMatch" type="button" title="Next match (Enter)">↓</button>
  </div>
  <span class="spacer"></span>
  <button id="copy" type="button" title="Copy the selected lines, or every line of this view in memory">Copy</button>
  <button id="wrap" type="button" class="toggle" title="Wrap long lines (remembered)" aria-pressed="false">Wrap</button>
  <button id="follow" type="button" class="toggle" title="Keep the newest line in view" aria-pressed="true">Follow</button>
</nav>
<div id="scroller" class="scroller" tabindex="0">
  <div id="rows" class="rows" role="log" aria-live="off"></div>
  <div id="spacer" class="scroll-spacer"></div>
</div>
<div id="probe" class="row probe" aria-hidden="true">M</div>
<script nonce="${nonce}" src="${attr(script.toString())}"></script>
</body>
</html>`;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
