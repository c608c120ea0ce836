/**
 * What each key does on the chat screen, as a pure function of the key and
 * the state: the hook (useKeys) only carries out the answer. Readline's key
 * names are used (see KeyDecoder).
 */
import { HELP_ROWS } from '../help-rows.js';
import { helpPageSize, liveLayout, whoPageSize } from '../layout.js';
import type { ChatAction } from '../state/actions.js';
import { wantsOlderHits } from '../state/search.js';
import type { ChatState } from '../state/types.js';
import type { Key } from './key-decoder.js';

export type Intent =
  | { kind: 'action'; action: ChatAction }
  /** Enter: the input line goes out (as a message or a command). */
  | { kind: 'submit' }
  | { kind: 'quit' }
  /** The paste guard's answer: the held paste goes out as one message per line, or as one message. */
  | { kind: 'send-paste'; as: 'lines' | 'one' }
  /** Down on the last search hit while the server has older ones: ask the next page. */
  | { kind: 'search-older' }
  | { kind: 'none' };

const act = (action: ChatAction): Intent => ({ kind: 'action', action });
const NONE: Intent = { kind: 'none' };

/** While the paste guard asks, only its answers count (and Ctrl+C). */
function guardKey(key: Key): Intent {
  if (key.name === 'return' || key.name === 'enter') return { kind: 'send-paste', as: 'lines' };
  const letter = key.ctrl || key.meta ? '' : key.text.toLowerCase();
  if (letter === 'm') return { kind: 'send-paste', as: 'one' };
  if (key.name === 'escape' || letter === 'n') return act({ type: 'paste/close' });
  return NONE;
}

/** PgUp/PgDn: the open panel's pages, else the scrollback window. */
function pageKey(s: ChatState, direction: 'up' | 'down'): Intent {
  const layout = liveLayout(s);
  if (s.panel === 'help') {
    return act({ type: 'panel/page', direction, pageSize: helpPageSize(layout.panelRows), total: HELP_ROWS.length });
  }
  if (s.panel === 'mentions') {
    const total = s.mentionLog.length;
    return act({ type: 'panel/page', direction, pageSize: whoPageSize(layout.panelRows, total), total });
  }
  if (s.panel === 'who') {
    const total = s.online ?? s.members?.length ?? 0;
    return act({ type: 'panel/page', direction, pageSize: whoPageSize(layout.panelRows, total), total });
  }
  // The window's size once open (it is 0 while following the stream).
  const pageSize = liveLayout({ ...s, scrollOffset: Math.max(1, s.scrollOffset) }).windowRows;
  return act({ type: 'scroll', direction, pageSize });
}

/**
 * While the search panel lists hits, Up/Down select the newer/older hit (the
 * history scrolls to it) and Down on the last one asks for older hits; Enter
 * on an empty line and Esc close the panel. Undefined: the key is not the panel's.
 */
function searchKey(key: Key, s: ChatState): Intent | undefined {
  if (s.panel !== 'search') return undefined;
  const hits = s.search?.hits ?? [];
  switch (key.name) {
    case 'escape':
      return act({ type: 'search/close' });
    case 'return':
    case 'enter':
      return s.input.value === '' ? act({ type: 'search/close' }) : undefined;
    case 'up':
      return hits.length === 0 ? undefined : act({ type: 'search/select', step: -1 });
    case 'down':
      if (hits.length === 0) return undefined;
      return wantsOlderHits(s) === undefined ? act({ type: 'search/select', step: 1 }) : { kind: 'search-older' };
  }
  return undefined;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function bindKey(key: Key, s: ChatState): Intent {
  const { name, ctrl, meta } = key;
  if (ctrl && name === 'c') return { kind: 'quit' };
  if (s.paste !== undefined) return guardKey(key);
  const paused = s.scrollOffset > 0;
  if (ctrl && name === 'd') return s.input.value === '' ? { kind: 'quit' } : act({ type: 'input/delete' });
  const search = ctrl || meta ? undefined : searchKey(key, s);
  if (search !== undefined) return search;
  switch (name) {
    case 'return':
    case 'enter':
      return { kind: 'submit' };
    case 'pageup':
      return pageKey(s, 'up');
    case 'pagedown':
      return pageKey(s, 'down');
    case 'escape':
      if (paused) return act({ type: 'scroll', direction: 'bottom', pageSize: 1 });
      return s.panel === 'none' ? NONE : act({ type: 'panel', panel: 'none' });
    case 'end':
      if (paused) return act({ type: 'scroll', direction: 'bottom', pageSize: 1 });
      return act({ type: 'input/move', to: 'end' });
    case 'home':
      return act({ type: 'input/move', to: 'home' });
    case 'up':
      return act({ type: 'history/up' });
    case 'down':
      return act({ type: 'history/down' });
    case 'left':
      return act({ type: 'input/move', to: ctrl || meta ? 'word-left' : 'left' });
    case 'right':
      return act({ type: 'input/move', to: ctrl || meta ? 'word-right' : 'right' });
    case 'backspace':
      return act({ type: meta || ctrl ? 'input/delete-word-left' : 'input/backspace' });
    case 'delete':
      return act({ type: 'input/delete' });
    case 'tab':
      return act({ type: 'input/complete', direction: key.shift ? 'prev' : 'next' });
  }
  if (ctrl) {
    if (name === 'a') return act({ type: 'input/move', to: 'home' });
    if (name === 'e') return act({ type: 'input/move', to: 'end' });
    if (name === 'u') return act({ type: 'input/clear' });
    if (name === 'w') return act({ type: 'input/delete-word-left' });
    if (name === 'n') return act({ type: 'rooms/switch', step: 1 });
    if (name === 'p') return act({ type: 'rooms/switch', step: -1 });
    return NONE;
  }
  if (meta) {
    if (name === 'b') return act({ type: 'input/move', to: 'word-left' });
    if (name === 'f') return act({ type: 'input/move', to: 'word-right' });
    if (name === 'd') return act({ type: 'input/delete-word-right' });
    // Alt+1..9: the room at that place in the room list.
    if (name !== undefined && /^[1-9]$/.test(name)) return act({ type: 'rooms/switch', index: Number(name) - 1 });
    return NONE;
  }
  if (key.text === '' || CONTROL.test(key.text)) return NONE;
  return act({ type: 'input/insert', text: key.text });
}
