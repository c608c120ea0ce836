/**
 * Turns terminal input into a stream of keys, one at a time and in order,
 * however they were read: `abcd` and two Backspaces in one read are six keys.
 * Node's readline decoder (`emitKeypressEvents`) does the decoding: escape
 * sequences, modifiers, and the bracketed-paste markers `ESC[200~`/`ESC[201~`,
 * between which everything is collected into one paste.
 */
import { emitKeypressEvents } from 'node:readline';
import { PassThrough } from 'node:stream';

export interface Key {
  /** readline's name: 'return', 'backspace', 'left', 'a', … ; undefined for other text. */
  name: string | undefined;
  /** The text the key types, when it types any. */
  text: string;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
}

export type KeyEvent = { kind: 'key'; key: Key } | { kind: 'paste'; text: string };

/**
 * A read with more line breaks than this is taken as an unbracketed paste
 * (a terminal without bracketed paste): nobody types that many Enters in one read.
 */
export const UNBRACKETED_PASTE_LINES = 3;

interface ReadlineKey {
  name?: string;
  sequence?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

/** Paste text with one kind of line break. */
function normalize(text: string): string {
  return text.replace(/\r\n|\r/g, '\n');
}

/** True for a key that only types text: consecutive ones are delivered as one key. */
function typesText(key: Key): boolean {
  // eslint-disable-next-line no-control-regex
  return !key.ctrl && !key.meta && key.text !== '' && !/[\u0000-\u001f\u007f]/.test(key.text);
}

export class KeyDecoder {
  private readonly stream = new PassThrough();
  private paste: string | undefined;
  /** Text typed by the keys of the current read, not yet delivered. */
  private typed = '';

  constructor(private readonly onEvent: (e: KeyEvent) => void) {
    emitKeypressEvents(this.stream);
    this.stream.on('keypress', (text: string | undefined, key: ReadlineKey | undefined) => this.onKey(text, key));
  }

  /** One read from the terminal (or one input event of Ink). */
  write(chunk: string): void {
    // A lone ESC is the Escape key: the reader already waited for the rest of a sequence.
    if (chunk === '\x1b' && this.paste === undefined) {
      this.onEvent({ kind: 'key', key: { name: 'escape', text: '', ctrl: false, meta: false, shift: false } });
      return;
    }
    const breaks = chunk.match(/\r\n|\r|\n/g)?.length ?? 0;
    if (this.paste === undefined && breaks > UNBRACKETED_PASTE_LINES && !chunk.includes('\x1b')) {
      this.onEvent({ kind: 'paste', text: normalize(chunk) });
      return;
    }
    this.stream.write(chunk);
    // readline decodes synchronously: every key of this read has been seen.
    this.flushTyped();
  }

  close(): void {
    this.stream.removeAllListeners('keypress');
    this.stream.destroy();
  }

  private onKey(text: string | undefined, k: ReadlineKey | undefined): void {
    const name = k?.name;
    if (name === 'paste-start') {
      this.flushTyped();
      this.paste = '';
      return;
    }
    if (name === 'paste-end') {
      const pasted = this.paste ?? '';
      this.paste = undefined;
      if (pasted !== '') this.onEvent({ kind: 'paste', text: normalize(pasted) });
      return;
    }
    if (this.paste !== undefined) {
      this.paste += k?.sequence ?? text ?? '';
      return;
    }
    const key: Key = {
      name,
      text: text ?? '',
      ctrl: k?.ctrl ?? false,
      meta: k?.meta ?? false,
      shift: k?.shift ?? false,
    };
    // Printable keys of one read become one text key (same result, one update instead of thousands).
    if (typesText(key)) {
      this.typed += key.text;
      return;
    }
    this.flushTyped();
    this.onEvent({ kind: 'key', key });
  }

  private flushTyped(): void {
    if (this.typed === '') return;
    const text = this.typed;
    this.typed = '';
    this.onEvent({ kind: 'key', key: { name: undefined, text, ctrl: false, meta: false, shift: false } });
  }
}
