/**
 * Every question the extension asks a person goes through a Prompter: quick picks, input boxes,
 * and messages with buttons. The window's prompter shows VS Code's own widgets; tests install a
 * ScriptedPrompter (through the extension API) that answers by question id and records what was
 * asked — so commands run end to end in a real extension host without anyone at the keyboard.
 */
import * as vscode from 'vscode';

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
  /** A codicon id, e.g. 'server-process'. */
  readonly icon?: string;
  /** Shown but cannot be chosen (e.g. "GPU — none found"). */
  readonly disabled?: boolean;
}

export interface PickOptions {
  readonly title: string;
  readonly placeholder?: string;
  /** Multi-step flows: "step 2 of 3" in the title bar. */
  readonly step?: number;
  readonly totalSteps?: number;
}

export interface InputOptions {
  readonly title: string;
  readonly prompt: string;
  readonly value?: string;
  readonly placeholder?: string;
  /** Passphrases and one-time codes: masked, never echoed. */
  readonly password?: boolean;
  /** A message when the value is not acceptable, undefined when it is. */
  readonly validate?: (value: string) => string | undefined;
  readonly step?: number;
  readonly totalSteps?: number;
}

export interface MessageOptions {
  readonly severity: 'info' | 'warning' | 'error';
  readonly detail?: string;
  /** A modal dialog (host keys, destructive actions); otherwise a notification. */
  readonly modal?: boolean;
  /**
   * A modal's dismiss button, instead of VS Code's "Cancel" (which reads as the action when
   * the action is cancelling a job).
   */
  readonly cancelLabel?: string;
}

export interface Prompter {
  /** The chosen item's value; undefined when dismissed. `id` names the question for tests. */
  pick<T>(id: string, items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined>;
  input(id: string, options: InputOptions): Promise<string | undefined>;
  /** The action chosen, undefined when dismissed. */
  message(id: string, text: string, options: MessageOptions, ...actions: string[]): Promise<string | undefined>;
}

/** The real window's widgets. */
export class WindowPrompter implements Prompter {
  async pick<T>(_id: string, items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined> {
    type Item = vscode.QuickPickItem & { value?: T };
    const quickItems: Item[] = items.map((i) => ({
      label: i.icon ? `$(${i.icon}) ${i.label}` : i.label,
      ...(i.description ? { description: i.description } : {}),
      ...(i.detail ? { detail: i.detail } : {}),
      // A disabled item stays visible as a separator-like row: no value, so choosing it does nothing.
      ...(i.disabled ? {} : { value: i.value }),
    }));
    const chosen = await vscode.window.showQuickPick(quickItems, {
      title: stepTitle(options.title, options.step, options.totalSteps),
      ...(options.placeholder ? { placeHolder: options.placeholder } : {}),
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    if (chosen && !('value' in chosen)) return this.pick(_id, items, options);
    return chosen?.value;
  }

  input(_id: string, options: InputOptions): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showInputBox({
      title: stepTitle(options.title, options.step, options.totalSteps),
      prompt: options.prompt,
      ...(options.value !== undefined ? { value: options.value } : {}),
      ...(options.placeholder ? { placeHolder: options.placeholder } : {}),
      password: options.password ?? false,
      ignoreFocusOut: true,
      ...(options.validate ? { validateInput: (v: string) => options.validate!(v) } : {}),
    }));
  }

  message(_id: string, text: string, options: MessageOptions, ...actions: string[]): Promise<string | undefined> {
    const show = options.severity === 'error' ? vscode.window.showErrorMessage
      : options.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const opts: vscode.MessageOptions = { modal: options.modal ?? false, ...(options.detail ? { detail: options.detail } : {}) };
    if (options.modal && options.cancelLabel) {
      const items: vscode.MessageItem[] = [...actions.map((title) => ({ title })), { title: options.cancelLabel, isCloseAffordance: true }];
      return Promise.resolve(show(text, opts, ...items)).then((chosen) => (chosen && chosen.title !== options.cancelLabel ? chosen.title : undefined));
    }
    return Promise.resolve(show(text, opts, ...actions));
  }
}

function stepTitle(title: string, step: number | undefined, total: number | undefined): string {
  return step && total ? `${title} (${step}/${total})` : title;
}

// ---- the test seam ----

/** How a scripted answer is given: a label pattern for picks, a string for inputs and messages. */
export interface ScriptedAnswer {
  readonly id: string;
  /** pick: the first enabled item whose label (or description) matches. */
  readonly pick?: RegExp | string;
  /** input: the text typed; message: the action clicked. undefined with `dismiss`. */
  readonly answer?: string;
  /** Press Escape. */
  readonly dismiss?: boolean;
}

/** One question as it was asked, for assertions. */
export interface AskedQuestion {
  readonly id: string;
  readonly kind: 'pick' | 'input' | 'message';
  readonly title: string;
  /** pick: the items as shown ("Worker pool — 2 cores"); message: the actions. */
  readonly items: readonly string[];
  /** input: the prefilled value; message: the text. */
  readonly value?: string;
  /** input: what `validate` said of the scripted answer. */
  readonly validation?: string;
  /** The step counter as the title bar shows it ("2/3"), in multi-step flows. */
  readonly step?: string;
}

/**
 * Answers questions in order from a script. A question with no scripted answer, or asked out of
 * order, is dismissed and recorded in `unexpected` — a test then fails with what was asked.
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: AskedQuestion[] = [];
  readonly unexpected: string[] = [];
  private readonly queue: ScriptedAnswer[];

  constructor(answers: readonly ScriptedAnswer[]) {
    this.queue = [...answers];
  }

  get remaining(): readonly ScriptedAnswer[] { return this.queue; }

  private next(id: string): ScriptedAnswer | undefined {
    const head = this.queue[0];
    if (!head || head.id !== id) {
      this.unexpected.push(`${id} (expected ${head?.id ?? 'nothing'})`);
      return undefined;
    }
    return this.queue.shift();
  }

  pick<T>(id: string, items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined> {
    this.asked.push({ id, kind: 'pick', title: options.title, items: items.map((i) => (i.description ? `${i.label} — ${i.description}` : i.label)), ...stepOf(options) });
    const a = this.next(id);
    if (!a || a.dismiss || a.pick === undefined) return Promise.resolve(undefined);
    const test = typeof a.pick === 'string' ? (s: string) => s === a.pick : (s: string) => (a.pick as RegExp).test(s);
    const item = items.find((i) => !i.disabled && (test(i.label) || (i.description !== undefined && test(`${i.label} — ${i.description}`))));
    if (!item) this.unexpected.push(`${id}: no item matches ${String(a.pick)}`);
    return Promise.resolve(item?.value);
  }

  input(id: string, options: InputOptions): Promise<string | undefined> {
    const a = this.next(id);
    const validation = a?.answer !== undefined ? options.validate?.(a.answer) : undefined;
    this.asked.push({ id, kind: 'input', title: options.title, items: [], ...(options.value !== undefined ? { value: options.value } : {}), ...(validation ? { validation } : {}), ...stepOf(options) });
    if (!a || a.dismiss) return Promise.resolve(undefined);
    // An input box does not accept a value its validator rejects: the person would have to fix it.
    if (validation) { this.unexpected.push(`${id}: "${a.answer}" rejected: ${validation}`); return Promise.resolve(undefined); }
    return Promise.resolve(a.answer);
  }

  message(id: string, text: string, _options: MessageOptions, ...actions: string[]): Promise<string | undefined> {
    this.asked.push({ id, kind: 'message', title: text, items: actions, value: text });
    // Notifications without actions are not questions: nothing to answer, nothing to script.
    if (actions.length === 0) return Promise.resolve(undefined);
    const a = this.next(id);
    if (!a || a.dismiss) return Promise.resolve(undefined);
    return Promise.resolve(a.answer);
  }
}

function stepOf(o: { readonly step?: number; readonly totalSteps?: number }): { step?: string } {
  return o.step && o.totalSteps ? { step: `${o.step}/${o.totalSteps}` } : {};
}
