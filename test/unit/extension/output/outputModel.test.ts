/**
 * The output panel's pure parts, in plain Node: the line model and its views, search, ANSI
 * parsing, the header, message coalescing and checks, and reading history back from a run log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseAnsi, paletteHex, stripAnsi, type AnsiSpan } from '../../../../extension/src/output/ansi';
import { appendWindow, BatchCoalescer, type Clock } from '../../../../extension/src/output/batchCoalescer';
import {
  matchesFilter, compileQuery, filterKey, LineView, OutputModel, parseFilter, searchView, type OutputFilter,
} from '../../../../extension/src/output/outputModel';
import { DISPLAY_MAX_CHARS, parseWebviewMessage, toWireLine } from '../../../../extension/src/output/outputProtocol';
import { GpuMetrics, RunHeader, summarizeExits, unitWords, withExitUnits } from '../../../../extension/src/output/runHeader';
import { parseLogLine, RunLogReader } from '../../../../extension/src/output/runLogReader';
import { launchLocal } from '../../../../runtimes/src/index';
import { linePrefix } from '../../../../runtimes/src/outputTags';
import { LinePacker } from '../../../../runtimes/src/packedLines';
import type { OutputLine, OutputSource } from '../../../../runtimes/src/runtime';

const line = (text: string, source: Partial<OutputSource> = {}, time = 0): OutputLine =>
  ({ stream: source.stream ?? 'stdout', rank: source.rank, task: source.task, system: source.system, text, time });

/** `n` lines from ranks 0..ranks-1 in turn, rank r's stderr every 10th line. */
function rankLines(from: number, n: number, ranks = 4): OutputLine[] {
  const out: OutputLine[] = [];
  for (let i = from; i < from + n; i++) {
    out.push(line(`line ${i}`, { rank: i % ranks, stream: i % 10 === 9 ? 'stderr' : 'stdout' }));
  }
  return out;
}

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-output-')); dirs.push(d); return d; };
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('OutputModel: the newest lines in memory, every line counted', () => {
  test('a million lines from 4 ranks: 200,000 retained, 1,000,000 counted, appends stay cheap', (t) => {
    const model = new OutputModel();
    const view = new LineView(model, { kind: 'rank', id: 2 });
    let slowest = 0;
    for (let i = 0; i < 1_000_000; i += 2000) {
      const batch = rankLines(i, 2000);
      const t0 = performance.now();
      model.append(batch);
      view.sync();
      slowest = Math.max(slowest, performance.now() - t0);
    }
    t.diagnostic(`slowest append+sync of 2,000 lines: ${slowest.toFixed(2)} ms`);
    assert.equal(model.total, 1_000_000);
    assert.equal(model.retained, 200_000);
    assert.equal(model.firstRetained, 800_000);
    assert.equal(model.line(999_999)?.text, 'line 999999');
    assert.equal(model.line(800_000)?.text, 'line 800000');
    assert.equal(model.line(799_999), undefined, 'older lines are only on disk');
    assert.equal(model.line(1_000_000), undefined);
    assert.deepEqual(model.sources(), { ranks: [0, 1, 2, 3], tasks: [], moreRanks: 0, moreTasks: 0, stderr: true });
    // Rank 2's view: a quarter of all lines, the 50,000 in memory reachable by position.
    assert.equal(view.count, 250_000);
    assert.equal(view.firstInMemory, 200_000);
    assert.equal(view.line(200_000)?.text, 'line 800002');
    assert.equal(view.line(249_999)?.text, 'line 999998');
    assert.equal(view.line(199_999), undefined);
  });

  test('a batch larger than the whole buffer keeps its newest lines', () => {
    const model = new OutputModel({ maxLines: 10 });
    model.append(rankLines(0, 3));
    model.append(rankLines(3, 25));
    assert.equal(model.total, 28);
    assert.equal(model.retained, 10);
    assert.deepEqual([...Array(10).keys()].map((k) => model.line(18 + k)?.text), [...Array(10).keys()].map((k) => `line ${18 + k}`));
  });

  test('ranks and tasks are listed sorted, at most the limit', () => {
    const model = new OutputModel();
    model.append([line('a', { task: 5 }), line('b', { task: 1 }), line('c', { task: 3 }), line('d', { task: 1 }), line('e', { rank: 2, stream: 'stderr' })]);
    assert.deepEqual(model.sources(), { ranks: [2], tasks: [1, 3, 5], moreRanks: 0, moreTasks: 0, stderr: true });
    assert.deepEqual(model.sources(2).tasks, [1, 3]);
    assert.equal(model.sources(2).moreTasks, 1);
    const v = model.sourcesVersion;
    model.append([line('again', { task: 3 })]);
    assert.equal(model.sourcesVersion, v, 'a known source changes nothing');
  });

  test('lines read back whole: sources, times, eviction inside an append, long lines, a late read', () => {
    const model = new OutputModel({ maxLines: 50 });
    const appended: OutputLine[] = [];
    for (let i = 0; i < 40; i++) {
      // Appends of 1..7 lines mixing ranks, tasks, streams and runtime lines, each its own time.
      const batch = Array.from({ length: 1 + (i % 7) }, (_, k) => line(`a${i}.${k} ${'x'.repeat(k * 100)}`,
        k % 4 === 3 ? { system: true, stream: 'stderr' } : k % 2 ? { task: i } : { rank: k, stream: i % 3 ? 'stdout' : 'stderr' }, 1000 * i + k));
      appended.push(...batch);
      model.append(batch);
    }
    // Lines longer than a stored chunk's text (1 MiB) each go on their own.
    const long = [line('L'.repeat(700_000), { rank: 9 }, 7), line('M'.repeat(700_000), { rank: 9 }, 8), line('tail', {}, 9)];
    appended.push(...long);
    model.append(long);
    assert.equal(model.total, appended.length);
    assert.equal(model.retained, 50);
    for (let g = appended.length - 1; g >= model.firstRetained; g--) {
      const want = appended[g]!;
      const got = model.line(g)!;
      assert.deepEqual([got.text, got.stream, got.rank, got.task, got.system, got.time], [want.text, want.stream, want.rank, want.task, want.system, want.time], `line ${g}`);
      assert.equal(model.text(g), want.text);
    }
    assert.equal(model.line(model.firstRetained - 1), undefined);
    assert.equal(model.line(0.5), undefined);
  });

  test('packed appends (a run in the worker) read back as the same lines, sources mapped to the model\'s own', () => {
    const direct = new OutputModel({ maxLines: 30 });
    const packed = new OutputModel({ maxLines: 30 });
    // The sender numbers sources in its own order; the model has seen others first.
    packed.append([line('before', { task: 7 })]);
    direct.append([line('before', { task: 7 })]);
    const sender = new LinePacker();
    // A model that saw nothing else numbers the sources as the sender does (no copy of its indexes).
    const fresh = new OutputModel({ maxLines: 30 });
    const freshDirect = new OutputModel({ maxLines: 30 });
    const appended: OutputLine[] = [];
    for (let i = 0; i < 12; i++) {
      const batch = rankLines(i * 5, 5, 3).map((l, k) => ({ ...l, time: i * 10 + k, ...(k === 4 ? { system: true } : {}) }));
      appended.push(...batch);
      direct.append(batch);
      freshDirect.append(batch);
      for (const p of sender.pack(batch)) { packed.appendPacked(p, sender.sources); fresh.appendPacked(p, sender.sources); }
    }
    for (let g = fresh.firstRetained; g < fresh.total; g++) assert.deepEqual(fresh.line(g), freshDirect.line(g), `fresh, line ${g}`);
    // A pack larger than the model: only its newest lines stay.
    const big = rankLines(100, 45, 2);
    direct.append(big);
    for (const p of sender.pack(big)) packed.appendPacked(p, sender.sources);
    assert.equal(packed.total, direct.total);
    assert.equal(packed.retained, 30);
    for (let g = packed.firstRetained; g < packed.total; g++) assert.deepEqual(packed.line(g), direct.line(g), `line ${g}`);
    assert.deepEqual(packed.sources(), direct.sources());
    assert.deepEqual(packed.sources(), { ranks: [0, 1, 2], tasks: [7], moreRanks: 0, moreTasks: 0, stderr: true });
    // The sender's pack is left as it was: another listener may read it too.
    const [p] = sender.pack([line('x', { rank: 2 })]);
    const before = [...p!.sources];
    packed.appendPacked(p!, sender.sources);
    assert.deepEqual([...p!.sources], before);
    assert.equal(packed.line(packed.total - 1)?.rank, 2);
  });

  test('a panel opened on an ended run numbers its tail as the log does', () => {
    const model = new OutputModel();
    model.append([line('x'), line('y')]);
    assert.equal(model.alignToLog(1), false, 'the log cannot have fewer lines than memory');
    assert.equal(model.alignToLog(500), true);
    assert.equal(model.total, 500);
    assert.equal(model.firstRetained, 498);
    assert.equal(model.line(499)?.text, 'y');
  });
});

describe('Filters and views', () => {
  const filters: Array<[unknown, OutputFilter | undefined]> = [
    ['all', { kind: 'all' }],
    ['stderr', { kind: 'stderr' }],
    ['rank:3', { kind: 'rank', id: 3 }],
    ['task:12', { kind: 'task', id: 12 }],
    ['rank:-1', undefined],
    ['rank:1.5', undefined],
    ['rank:', undefined],
    ['<script>', undefined],
    ['task:1234567890', undefined],
    [3, undefined],
    [undefined, undefined],
  ];
  for (const [key, want] of filters) {
    test(`parseFilter(${JSON.stringify(key)})`, () => {
      assert.deepEqual(parseFilter(key), want);
      if (want) assert.equal(filterKey(want), key);
    });
  }

  test('each filter selects its lines', () => {
    const model = new OutputModel();
    model.append([
      line('r0 out', { rank: 0 }), line('r1 err', { rank: 1, stream: 'stderr' }), line('t4', { task: 4 }),
      line('sys', { system: true, stream: 'stderr' }), line('r1 out', { rank: 1 }),
    ]);
    const texts = (f: OutputFilter) => { const v = new LineView(model, f); return [...Array(v.count).keys()].map((p) => v.line(p)?.text); };
    assert.deepEqual(texts({ kind: 'all' }), ['r0 out', 'r1 err', 't4', 'sys', 'r1 out']);
    assert.deepEqual(texts({ kind: 'rank', id: 1 }), ['r1 err', 'r1 out']);
    assert.deepEqual(texts({ kind: 'task', id: 4 }), ['t4']);
    assert.deepEqual(texts({ kind: 'stderr' }), ['r1 err'], 'the program\'s stderr, not the [hpc-jobs] notes');
    assert.deepEqual(texts({ kind: 'rank', id: 9 }), []);
  });

  test('positions stay the same lines while old lines leave memory', () => {
    const model = new OutputModel({ maxLines: 100 });
    const view = new LineView(model, { kind: 'rank', id: 0 });
    const seen = new Map<number, string>();
    for (let i = 0; i < 20_000; i += 37) {
      model.append(rankLines(i, 37, 2));
      view.sync();
      for (let p = view.firstInMemory; p < view.count; p++) {
        const text = view.line(p)!.text;
        if (seen.has(p)) assert.equal(text, seen.get(p), `position ${p}`);
        seen.set(p, text);
        assert.equal(Number(text.split(' ')[1]) % 2, 0, 'rank 0 lines only');
      }
    }
    assert.equal(view.count, 10_009, "the even lines of 20,017");
    assert.ok(view.count - view.firstInMemory <= 50);
    assert.equal(view.globalIndex(view.firstInMemory - 1), undefined);
    assert.equal(view.globalIndex(view.count), undefined);
  });

  test('the all view numbers positions by global index', () => {
    const model = new OutputModel({ maxLines: 5 });
    model.append(rankLines(0, 12));
    const v = new LineView(model, { kind: 'all' });
    assert.equal(v.count, 12);
    assert.equal(v.firstInMemory, 7);
    assert.equal(v.line(11)?.text, 'line 11');
    assert.equal(v.globalIndex(6), undefined);
  });
});

describe('Search', () => {
  const model = new OutputModel();
  model.append([
    line('Loading data'), line('\x1b[31mERROR\x1b[0m: disk full', { stream: 'stderr' }), line('epoch 1 loss=0.5'),
    line('error: retry', { rank: 1 }), line('epoch 2 loss=0.25'), line('\x1b[1;32mdone\x1b[0m'),
  ]);
  const all = new LineView(model, { kind: 'all' });
  const find = (text: string, opts: { regex?: boolean; caseSensitive?: boolean } = {}, view = all) => {
    const q = compileQuery({ text, ...opts });
    if ('error' in q) return q.error;
    return searchView(view, q.test).positions;
  };

  test('substring, case-insensitive by default', () => assert.deepEqual(find('error'), [1, 3]));
  test('case-sensitive', () => assert.deepEqual(find('ERROR', { caseSensitive: true }), [1]));
  test('regex', () => assert.deepEqual(find('loss=0\\.\\d{2}$', { regex: true }), [4]));
  test('regex, case-insensitive', () => assert.deepEqual(find('^err', { regex: true }), [1, 3]));
  test('the visible text is searched, not the escapes', () => {
    assert.deepEqual(find('[31m'), []);
    assert.deepEqual(find('ERROR: disk', { caseSensitive: true }), [1]);
  });
  test('within a filter, positions are the view\'s', () => assert.deepEqual(find('error', {}, new LineView(model, { kind: 'rank', id: 1 })), [0]));
  test('an invalid regex is reported, not thrown', () => assert.match(String(find('(unclosed', { regex: true })), /Invalid regular expression|Unterminated/i));
  test('an empty query is no query', () => assert.equal(find(''), 'empty query'));

  test('stops at the match limit and at the time budget', () => {
    const big = new OutputModel();
    big.append(rankLines(0, 10_000));
    const v = new LineView(big, { kind: 'all' });
    const limited = searchView(v, () => true, 0, v.count, { maxMatches: 100 });
    assert.equal(limited.positions.length, 100);
    assert.equal(limited.truncated, 'matches');
    let clock = 0;
    const slow = searchView(v, () => { clock += 1; return false; }, 0, v.count, { maxMs: 2000, now: () => clock });
    assert.equal(slow.truncated, 'time');
    assert.ok(clock < 4000, 'checked every 1024 lines');
    assert.equal(slow.next, 2048, 'where to go on from');
    const rest = searchView(v, (t) => t.endsWith('0'), slow.next, v.count);
    assert.equal(rest.positions[0], 2050);
    assert.equal(rest.truncated, undefined);
  });
});

describe('ANSI SGR parsing', () => {
  const rows: Array<[string, string, AnsiSpan[]]> = [
    ['plain text', 'hello', [{ text: 'hello' }]],
    ['empty line', '', []],
    ['a tab stays', 'a\tb', [{ text: 'a\tb' }]],
    ['red then reset', '\x1b[31mred\x1b[0m plain', [{ text: 'red', cls: 'a-fg1' }, { text: ' plain' }]],
    ['ESC[m resets too', '\x1b[32mg\x1b[mx', [{ text: 'g', cls: 'a-fg2' }, { text: 'x' }]],
    ['bright foreground', '\x1b[91mx', [{ text: 'x', cls: 'a-fg9' }]],
    ['backgrounds, normal and bright', '\x1b[44ma\x1b[103mb', [{ text: 'a', cls: 'a-bg4' }, { text: 'b', cls: 'a-bg11' }]],
    ['bold, italic, underline, then off one by one', '\x1b[1;3;4mx\x1b[22my\x1b[23;24mz', [
      { text: 'x', cls: 'a-b a-i a-u' }, { text: 'y', cls: 'a-i a-u' }, { text: 'z' }]],
    ['dim and strikethrough', '\x1b[2;9mx', [{ text: 'x', cls: 'a-d a-s' }]],
    ['256 colours: the first 16 are theme colours', '\x1b[38;5;3mx', [{ text: 'x', cls: 'a-fg3' }]],
    ['256 colours: the cube', '\x1b[38;5;208mx', [{ text: 'x', fg: '#ff8700' }]],
    ['256 colours: the greys', '\x1b[48;5;244mx', [{ text: 'x', bg: '#808080' }]],
    ['truecolor', '\x1b[38;2;1;2;255mx', [{ text: 'x', fg: '#0102ff' }]],
    ['truecolor with colons and a colour space', '\x1b[38:2::10:20:30mx', [{ text: 'x', fg: '#0a141e' }]],
    ['256 with colons', '\x1b[48:5:196mx', [{ text: 'x', bg: '#ff0000' }]],
    ['default colours', '\x1b[31;42mx\x1b[39my\x1b[49mz', [{ text: 'x', cls: 'a-fg1 a-bg2' }, { text: 'y', cls: 'a-bg2' }, { text: 'z' }]],
    ['params after an extended colour still apply', '\x1b[38;5;208;1mx', [{ text: 'x', cls: 'a-b', fg: '#ff8700' }]],
    ['inverse swaps colours', '\x1b[7;31mx', [{ text: 'x', cls: 'a-fgi a-bg1' }]],
    ['hidden', '\x1b[8mx', [{ text: 'x', cls: 'a-h' }]],
    ['a style without text makes no span', '\x1b[31m\x1b[0m', []],
    ['cursor movement and erase are dropped', '\x1b[2K\x1b[1Aprogress', [{ text: 'progress' }]],
    ['carriage returns: the last state of the line', '10%\r50%\r100%', [{ text: '100%' }]],
    ['a trailing carriage return keeps the text', 'done\r', [{ text: 'done' }]],
    ['OSC title is dropped', '\x1b]0;my title\x07text', [{ text: 'text' }]],
    ['OSC 8 hyperlink: the text stays, the link goes', '\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\', [{ text: 'link' }]],
    ['controls are dropped', 'a\x00b\x07c\x08d\x7fe', [{ text: 'abcde' }]],
  ];
  for (const [name, input, want] of rows) test(name, () => assert.deepEqual(parseAnsi(input), want));

  const broken: Array<[string, string, string]> = [
    ['ESC at the end', 'text\x1b', 'text'],
    ['CSI cut off at the end', 'text\x1b[31', 'text'],
    ['CSI broken by a control', 'a\x1b[31\x07b', 'ab'],
    ['CSI broken by a non-ASCII character', 'a\x1b[3éb', 'aéb'],
    ['unterminated OSC keeps the text', 'a\x1b]0;title', 'a0;title'],
    ['huge parameter', '\x1b[99999999999mx', 'x'],
    ['out-of-range truecolor is ignored', '\x1b[38;2;300;0;0mx', 'x'],
    ['38 with nothing after', '\x1b[38mx', 'x'],
    ['charset designation', '\x1b(Bx', 'x'],
    ['lone ESC before text', '\x1bx', ''],
    ['a 300-byte SGR is ignored, not parsed', `\x1b[${'1;'.repeat(150)}mx`, 'x'],
  ];
  for (const [name, input, want] of broken) {
    test(`broken: ${name}`, () => assert.equal(parseAnsi(input).map((s) => s.text).join(''), want));
  }

  test('markup in output is text, never markup', () => {
    const spans = parseAnsi('\x1b[31m<script>alert("x")</script>\x1b[0m<img src=x onerror=alert(1)>');
    assert.deepEqual(spans, [
      { text: '<script>alert("x")</script>', cls: 'a-fg1' },
      { text: '<img src=x onerror=alert(1)>' },
    ]);
  });

  test('whatever the input, classes come from the vocabulary and colours are #rrggbb', () => {
    const alphabet = ['\x1b', '[', ']', ';', ':', 'm', '3', '8', '5', '2', '1', '0', '9', '4', 'x', '<', '"', '\x07', '\\', '\r', ' ', 'é'];
    let seed = 42;
    const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    for (let k = 0; k < 3000; k++) {
      let s = '';
      const len = rand() % 40;
      for (let i = 0; i < len; i++) s += alphabet[rand() % alphabet.length];
      for (const span of parseAnsi(s)) {
        if (span.cls !== undefined) assert.match(span.cls, /^a-[a-z0-9]+( a-[a-z0-9]+)*$/, JSON.stringify(s));
        if (span.fg !== undefined) assert.match(span.fg, /^#[0-9a-f]{6}$/);
        if (span.bg !== undefined) assert.match(span.bg, /^#[0-9a-f]{6}$/);
        assert.doesNotMatch(span.text, /[\x00-\x08\x0a-\x1f\x7f]/, 'no controls left in text');
      }
    }
  });

  test('stripAnsi gives the visible text', () => {
    assert.equal(stripAnsi('\x1b[1;31mERROR\x1b[0m: x'), 'ERROR: x');
    assert.equal(stripAnsi('plain'), 'plain');
  });

  test('xterm palette corners', () => {
    assert.equal(paletteHex(16), '#000000');
    assert.equal(paletteHex(231), '#ffffff');
    assert.equal(paletteHex(232), '#080808');
    assert.equal(paletteHex(255), '#eeeeee');
  });
});

describe('Header: state, times, exits, GPU samples', () => {
  test('state and times follow the events, and the result wins', () => {
    let now = 1000;
    const h = new RunHeader('queued', () => now);
    assert.deepEqual(h.snapshot(), { state: 'queued', final: false, exits: { shown: [], succeeded: 0, failed: 0, hidden: 0 } });
    now = 2000;
    h.onState({ state: 'running', previous: 'queued' });
    assert.equal(h.snapshot().startedAt, 2000);
    now = 5000;
    h.onState({ state: 'failed', previous: 'running', message: 'rank 1 exited with 3' });
    assert.equal(h.snapshot().endedAt, 5000);
    assert.equal(h.snapshot().final, true);
    h.onResult({
      state: 'failed', startedAt: 1990, endedAt: 4990, summary: 'rank 1 exited with 3; 1 other succeeded',
      exits: [{ rank: 0, code: 0 }, { rank: 1, code: 3 }],
    });
    const s = h.snapshot();
    assert.equal(s.startedAt, 1990);
    assert.equal(s.endedAt, 4990);
    assert.equal(s.summary, 'rank 1 exited with 3; 1 other succeeded');
    assert.deepEqual(s.exits, {
      shown: [{ label: 'rank 1', code: 3, ok: false }, { label: 'rank 0', code: 0, ok: true }],
      succeeded: 1, failed: 1, hidden: 0,
    });
  });

  test('how the run used what it had: a local run\'s figures from its result, a job\'s when they arrive', () => {
    const local = new RunHeader('running', () => 0);
    local.onResult({ state: 'succeeded', exits: [], startedAt: 0, endedAt: 12_000, summary: 'done', usage: { cpuS: 22.8, peakRssBytes: 210 * 1024 ** 2, samples: 40 } });
    assert.equal(local.snapshot().outcome, 'CPU 1.9 cores · mem 210 MiB · 12s');
    const job = new RunHeader('failed', () => 0);
    assert.equal(job.snapshot().outcome, undefined);
    job.onOutcome('CPU 0% · mem 4.3/256 MiB · 14s/1m');
    assert.equal(job.snapshot().outcome, 'CPU 0% · mem 4.3/256 MiB · 14s/1m');
  });

  test('a panel opened on a running run starts its clock then', () => {
    const h = new RunHeader('running', () => 42);
    assert.equal(h.snapshot().startedAt, 42);
  });

  test('exits: failures first, signals and time limits, capped', () => {
    const s = summarizeExits([
      { task: 0, code: 0 }, { task: 1, code: null, signal: 'SIGKILL' }, { task: 2, code: 0 },
      { task: 3, code: 143, timedOut: true }, { code: 1 },
    ], 3);
    assert.deepEqual(s.shown, [
      { label: 'task 1', code: null, signal: 'SIGKILL', ok: false },
      { label: 'task 3', code: 143, timedOut: true, ok: false },
      { label: 'launcher', code: 1, ok: false },
    ]);
    assert.equal(s.succeeded, 2);
    assert.equal(s.failed, 3);
    assert.equal(s.hidden, 2);
  });

  test('a GPU run\'s tasks are its GPUs; the launcher is called what it is', () => {
    const h = new RunHeader('running', () => 1, undefined, unitWords('gpu'));
    h.onResult({ state: 'failed', endedAt: 2, summary: '', exits: [{ task: 1, code: 1 }, { code: 0 }] });
    assert.deepEqual(h.snapshot().exits.shown.map((e) => e.label), ['GPU 1', 'launcher']);
    assert.equal(h.snapshot().taskWord, 'GPU');
    assert.equal(unitWords('mpi', 'mpiexec').launcher, 'mpiexec');
    assert.equal(unitWords('sbatch-local', 'the script').launcher, 'script');
    assert.equal(unitWords('pool').launcher, 'worker pool');
    assert.equal(unitWords('slurm').launcher, 'job');
  });

  test('the filter lists the ranks that exited as well as those that printed', () => {
    const printed = { ranks: [0, 2], tasks: [], moreRanks: 0, moreTasks: 0, stderr: false };
    assert.deepEqual(withExitUnits(printed, [{ rank: 0, code: 0 }, { rank: 1, code: 0 }, { rank: 3, code: 1 }]).ranks, [0, 1, 2, 3]);
    assert.deepEqual(withExitUnits({ ...printed, ranks: [0, 1], moreRanks: 5 }, [{ rank: 9, code: 0 }], 2).ranks, [0, 1], 'a full list stays as it is');
  });

  test('[hpc-jobs] notes on stderr are not the stderr filter\'s', () => {
    assert.equal(matchesFilter({ kind: 'stderr' }, { stream: 'stderr', system: true }), false);
    assert.equal(matchesFilter({ kind: 'stderr' }, { stream: 'stderr', rank: 1 }), true);
  });

  test('GPU metrics keep the last N samples per device', () => {
    const m = new GpuMetrics(3);
    assert.equal(m.empty, true);
    for (let i = 0; i < 5; i++) {
      m.add({ time: i, device: 1, name: 'gpuUtilization', value: i * 10 });
      m.add({ time: i, device: 0, name: 'gpuMemoryUsedMB', value: 100 + i });
    }
    m.add({ time: 9, device: 0, name: 'gpuMemoryTotalMB', value: 81920 });
    const v = m.version;
    m.add({ time: 9, device: 0, name: 'gpuUtilization', value: NaN });
    m.add({ time: 9, device: 0, name: 'temperature', value: 50 });
    assert.equal(m.version, v, 'NaN and unknown metrics are ignored');
    assert.deepEqual(m.snapshot(), [
      { device: 0, utilization: [], memoryUsedMB: [102, 103, 104], memoryTotalMB: 81920 },
      { device: 1, utilization: [20, 30, 40], memoryUsedMB: [] },
    ]);
  });
});

/** A clock driven by hand. */
class FakeClock implements Clock {
  now = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  setTimeout(fn: () => void, ms: number): unknown { const id = ++this.ids; this.timers.push({ at: this.now + ms, fn, id }); return id; }
  clearTimeout(handle: unknown): void { this.timers = this.timers.filter((t) => t.id !== handle); }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
    }
    this.now = end;
  }
  get pending(): number { return this.timers.length; }
}

describe('BatchCoalescer: one message per interval', () => {
  test('batches within 50 ms become one flush', () => {
    const clock = new FakeClock();
    const flushes: number[] = [];
    const c = new BatchCoalescer(() => flushes.push(clock.now), 50, clock);
    for (let i = 0; i < 100; i++) { c.notify(); clock.advance(0.4); }
    assert.deepEqual(flushes, []);
    clock.advance(20);
    assert.deepEqual(flushes, [50]);
    assert.equal(clock.pending, 0);
  });

  test('a steady flood is flushed every interval, not starved', () => {
    const clock = new FakeClock();
    const flushes: number[] = [];
    const c = new BatchCoalescer(() => flushes.push(clock.now), 50, clock);
    for (let t = 0; t < 500; t += 5) { c.notify(); clock.advance(5); }
    assert.equal(flushes.length, 10);
    assert.deepEqual(flushes.slice(0, 3), [50, 100, 150]);
  });

  test('flushNow flushes at once and cancels the pending flush; dispose stops everything', () => {
    const clock = new FakeClock();
    let n = 0;
    const c = new BatchCoalescer(() => n++, 50, clock);
    c.notify();
    c.flushNow();
    assert.equal(n, 1);
    clock.advance(100);
    assert.equal(n, 1, 'the pending flush was cancelled');
    c.notify();
    c.dispose();
    clock.advance(100);
    c.notify();
    c.flushNow();
    assert.equal(n, 1);
    assert.equal(clock.pending, 0);
  });

  const windows: Array<[string, [number, number, number, number], { first: number; end: number }]> = [
    ['everything new fits', [10, 15, 0, 1000], { first: 10, end: 15 }],
    ['a flood: only the newest cap', [0, 100_000, 0, 1000], { first: 99_000, end: 100_000 }],
    ['nothing new', [20, 20, 0, 1000], { first: 20, end: 20 }],
    ['never before the first line in memory', [0, 500, 300, 1000], { first: 300, end: 500 }],
  ];
  for (const [name, [sent, count, firstInMemory, cap], want] of windows) {
    test(`appendWindow: ${name}`, () => assert.deepEqual(appendWindow(sent, count, firstInMemory, cap), want));
  }
});

describe('Messages from the webview are checked', () => {
  const rows: Array<[unknown, unknown]> = [
    [{ type: 'ready', rows: 40 }, { type: 'ready', rows: 40 }],
    [{ type: 'ready', rows: -1 }, { type: 'ready', rows: 50 }],
    [{ type: 'requestLines', requestId: 1, first: 10, count: 1_000_000 }, { type: 'requestLines', requestId: 1, first: 10, count: 1000 }],
    [{ type: 'requestLines', requestId: 1, first: -5, count: 10 }, undefined],
    [{ type: 'requestLines', requestId: 1, first: '0', count: 10 }, undefined],
    [{ type: 'filter', filter: 'rank:2' }, { type: 'filter', filter: 'rank:2' }],
    [{ type: 'filter', filter: 'x'.repeat(100) }, undefined],
    [{ type: 'search', query: { text: 'err', regex: 'yes' } }, { type: 'search', query: { text: 'err', regex: false, caseSensitive: false } }],
    [{ type: 'search' }, { type: 'search' }],
    [{ type: 'search', query: { text: 5 } }, undefined],
    [{ type: 'follow', on: false }, { type: 'follow', on: false }],
    [{ type: 'follow', on: 'no' }, undefined],
    [{ type: 'wrap', on: true }, { type: 'wrap', on: true }],
    [{ type: 'wrap' }, undefined],
    [{ type: 'cancel', extra: 1 }, { type: 'cancel' }],
    [{ type: 'copy', first: 1, count: 2 }, { type: 'copy', first: 1, count: 2 }],
    [{ type: 'copy', first: 1 }, undefined],
    [{ type: 'eval', code: 'x' }, undefined],
    [null, undefined],
    ['ready', undefined],
  ];
  for (const [raw, want] of rows) test(JSON.stringify(raw), () => assert.deepEqual(parseWebviewMessage(raw), want));

  test('a wire line carries its source and is cut to what a row shows', () => {
    assert.deepEqual(toWireLine(7, { stream: 'stderr', rank: 2 }, '\x1b[1mx'), { p: 7, rank: 2, err: true, spans: [{ text: 'x', cls: 'a-b' }] });
    assert.deepEqual(toWireLine(0, { stream: 'stderr', system: true }, 'note'), { p: 0, sys: true, spans: [{ text: 'note' }] }, 'a note gets no stderr mark');
    const long = toWireLine(1, { stream: 'stdout', task: 3 }, 'y'.repeat(DISPLAY_MAX_CHARS + 10));
    assert.equal(long.cut, 10);
    assert.equal(long.spans[0]!.text.length, DISPLAY_MAX_CHARS);
    assert.equal(long.task, 3);
  });
});

describe('RunLogReader: history read back from the log by line index', () => {
  const sources: OutputSource[] = [
    { stream: 'stdout' }, { stream: 'stderr' }, { stream: 'stdout', rank: 3 }, { stream: 'stderr', rank: 0 },
    { stream: 'stdout', task: 12 }, { stream: 'stderr', task: 1 }, { stream: 'stderr', system: true },
  ];
  for (const s of sources) {
    test(`parseLogLine reads back "${linePrefix(s)}"`, () => assert.deepEqual(parseLogLine(linePrefix(s) + 'text [rank 9] x'), { source: s, text: 'text [rank 9] x' }));
  }

  test('any range, across checkpoints, long lines and multi-byte characters', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'output.log');
    const lines = Array.from({ length: 5000 }, (_, i) => (i % 997 === 5 ? `long ${i} ${'é'.repeat(3000)}` : `[rank ${i % 4}] line ${i} ✓`));
    writeFileSync(file, lines.join('\n') + '\n');
    const reader = new RunLogReader(file, { every: 64, chunkBytes: 1024 });
    assert.deepEqual(await reader.readLines(0, 3), lines.slice(0, 3));
    assert.deepEqual(await reader.readLines(4990, 20), lines.slice(4990), 'fewer where the file ends');
    assert.deepEqual(await reader.readLines(1000, 50), lines.slice(1000, 1050));
    assert.deepEqual(await reader.readLines(995, 20), lines.slice(995, 1015), 'a long line in the range');
    assert.deepEqual(await reader.readLines(63, 3), lines.slice(63, 66), 'around a checkpoint');
    assert.deepEqual(await reader.readLines(6000, 5), []);
    assert.equal(await reader.countLines(), 5000);
    const all = await Promise.all([reader.readLines(10, 1), reader.readLines(4000, 1), reader.readLines(2, 1)]);
    assert.deepEqual(all, [[lines[10]], [lines[4000]], [lines[2]]], 'concurrent reads');
  });

  test('a growing log: an unfinished last line is not a line yet', async () => {
    const file = path.join(tempDir(), 'output.log');
    writeFileSync(file, 'a\nb\npart');
    const reader = new RunLogReader(file, { every: 2 });
    assert.equal(await reader.countLines(), 2);
    appendFileSync(file, 'ial\nc\n');
    assert.equal(await reader.countLines(), 4);
    assert.deepEqual(await reader.readLines(2, 2), ['partial', 'c']);
  });

  test('a missing log reads as empty', async () => {
    const reader = new RunLogReader(path.join(tempDir(), 'nope.log'));
    assert.deepEqual(await reader.readLines(0, 10), []);
    assert.equal(await reader.countLines(), 0);
  });

  test('a real run\'s log and its events number lines the same way', async () => {
    const run = await launchLocal({ backend: 'tasks', program: '/bin/echo', args: ['hello \x1b[32mtask\x1b[0m'], tasks: 5, parallel: 2, logDir: tempDir() });
    const model = new OutputModel();
    const sub = run.onDidOutput((lines) => model.append(lines));
    await run.result;
    sub.dispose();
    const reader = new RunLogReader(run.logPath);
    assert.equal(await reader.countLines(), model.total);
    const fromLog = (await reader.readLines(0, model.total)).map(parseLogLine);
    for (let i = 0; i < model.total; i++) {
      const m = model.line(i)!;
      assert.equal(fromLog[i]!.text, m.text, `line ${i}`);
      assert.equal(fromLog[i]!.source.task, m.task);
      assert.equal(fromLog[i]!.source.stream, m.stream);
    }
    assert.deepEqual(model.sources().tasks, [0, 1, 2, 3, 4]);
    run.dispose();
  });
});
