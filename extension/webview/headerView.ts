/**
 * The panel's header as the host describes the run: the state badge, the summary, a chip per
 * exit, and the run time, counted here while the run runs.
 */
import type { HeaderSnapshot } from '../src/output/runHeader';

const $ = (id: string) => document.getElementById(id)!;

const STATE_TEXT: Record<string, string> = { queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled', timedOut: 'Timed out' };

/** Everything but the run time (showElapsed), from the host's snapshot. */
export function drawHeader(header: HeaderSnapshot): void {
  const badge = $('state');
  badge.textContent = STATE_TEXT[header.state] || String(header.state);
  badge.className = `badge state-${/^[a-zA-Z]+$/.test(header.state) ? header.state : 'unknown'}`;
  ($('cancel') as HTMLButtonElement).disabled = !!header.final;
  $('summary').textContent = [header.summary, header.outcome].filter(Boolean).join(' · ');
  const exits = $('exits');
  exits.textContent = '';
  const ex = header.exits;
  if (ex && ex.shown.length > 0) {
    for (const e of ex.shown) {
      const chip = document.createElement('span');
      chip.className = `exit ${e.ok ? 'ok' : 'fail'}`;
      const how = e.timedOut ? 'time limit' : e.code === null ? (e.signal || 'killed') : String(e.code);
      chip.textContent = `${e.label}: ${how}`;
      chip.title = e.ok ? `${e.label} exited with 0` : `${e.label}: ${e.timedOut ? 'stopped at its time limit' : e.code === null ? `ended by ${e.signal || 'a signal'}` : `exited with ${e.code}`}`;
      exits.appendChild(chip);
    }
    if (ex.hidden > 0) {
      const more = document.createElement('span');
      more.className = 'exit more';
      more.textContent = `+${ex.hidden} more (${ex.succeeded} succeeded, ${ex.failed} failed)`;
      exits.appendChild(more);
    }
  }
}

function formatDuration(ms: number) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

export function showElapsed(h: HeaderSnapshot | undefined): void {
  const el = $('elapsed');
  if (!h || typeof h.startedAt !== 'number') { el.textContent = ''; return; }
  const end = typeof h.endedAt === 'number' ? h.endedAt : Date.now();
  el.textContent = formatDuration(end - h.startedAt);
}
