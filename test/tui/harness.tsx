/** Mounts the App over a FakeClient in ink-testing-library, with bounded waits on frames. */
import { render } from 'ink-testing-library';
import { App, type AppProps } from '../../src/tui/app.js';
import type { TuiServices } from '../../src/tui/services.js';
import type { QuitReason } from '../../src/tui/quit-reason.js';
import { waitFor } from '../helpers/wait-for.js';
import { FakeClient } from './fake-client.js';
import { stripSgr } from './sgr.js';

export const KEYS = {
  enter: '\r',
  backspace: '\x7f',
  delete: '\x1b[3~',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  home: '\x1b[H',
  ctrlLeft: '\x1b[1;5D',
  altBackspace: '\x1b\x7f',
  ctrlW: '\x17',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  end: '\x1b[F',
  escape: '\x1b',
  ctrlC: '\x03',
  tab: '\t',
  shiftTab: '\x1b[Z',
} as const;

export interface Mounted {
  client: FakeClient;
  quits: QuitReason[];
  /** The latest frame, colour codes kept. */
  raw(): string;
  /** The latest frame as plain text. */
  frame(): string;
  frames(): string[];
  /** Waits until the plain frame satisfies `pred`. */
  until(pred: (plain: string) => boolean, what: string): Promise<string>;
  /** Types text (or a key sequence) and waits for the frame to show `expect` if given. */
  type(text: string): Promise<void>;
  /** Resizes the fake terminal and tells Ink, as a real SIGWINCH would. */
  resize(columns: number, rows: number): void;
  unmount(): void;
}

export interface MountOptions {
  client?: FakeClient;
  maxLines?: number;
  color?: boolean;
  services?: TuiServices;
  /** Collects the bell's and notifications' bytes. */
  alertOut?: (bytes: string) => void;
  /** More App props (links, history). */
  app?: Partial<Pick<AppProps, 'links' | 'history'>>;
}

export function mount(options: MountOptions = {}): Mounted {
  const client = options.client ?? new FakeClient();
  const quits: QuitReason[] = [];
  const r = render(
    <App
      client={client}
      server="http://127.0.0.1:7878"
      onQuit={(reason) => quits.push(reason)}
      {...(options.maxLines === undefined ? {} : { maxLines: options.maxLines })}
      {...(options.color === undefined ? {} : { color: options.color })}
      {...(options.services === undefined ? {} : { services: options.services })}
      {...(options.alertOut === undefined ? {} : { alertOut: options.alertOut })}
      {...options.app}
    />,
  );
  const frame = (): string => stripSgr(r.lastFrame() ?? '');
  return {
    client,
    quits,
    raw: () => r.lastFrame() ?? '',
    frame,
    frames: () => r.frames,
    until: (pred, what) => waitFor(() => (pred(frame()) ? frame() : undefined), { what }),
    async type(text) {
      // One write is one read from the terminal (it may hold several keys).
      r.stdin.write(text);
      // Let Ink's input handling and React's render run before the next key.
      await new Promise((resolve) => setImmediate(resolve));
    },
    resize(columns, rows) {
      Object.defineProperty(r.stdout, 'columns', { configurable: true, get: () => columns });
      Object.defineProperty(r.stdout, 'rows', { configurable: true, get: () => rows });
      r.stdout.emit('resize');
    },
    unmount: () => r.unmount(),
  };
}
