/**
 * The keyboard of the chat screen. Terminal input is decoded into keys (and
 * pastes) by KeyDecoder and each one is applied in order, against the state
 * as it is after the key before: a read holding several keys loses none.
 * What a key does is decided by bindKey; this hook carries it out.
 */
import { useEffect } from 'react';
import { useStdin } from 'ink';
import { bindKey, type Intent } from '../input/key-bindings.js';
import { KeyDecoder, type KeyEvent } from '../input/key-decoder.js';
import { pasteMessages, planPaste } from '../input/paste-plan.js';
import { useChatActions, type ChatActions } from '../state/contexts.js';

function enter(a: ChatActions): void {
  const line = a.getState().input.value;
  a.dispatch({ type: 'input/submit' });
  a.submit(line);
}

function carryOut(a: ChatActions, intent: Intent): void {
  switch (intent.kind) {
    case 'action':
      a.dispatch(intent.action);
      return;
    case 'submit':
      enter(a);
      return;
    case 'quit':
      a.quit('left');
      return;
    case 'send-paste': {
      const held = a.getState().paste;
      a.dispatch({ type: 'paste/close' });
      if (held !== undefined) for (const text of pasteMessages(held.text, intent.as)) a.say(text);
      return;
    }
    case 'search-older':
      a.searchOlder();
      return;
    case 'none':
      return;
  }
}

function onPaste(a: ChatActions, text: string): void {
  // A paste during the guard's question is dropped: one question at a time.
  if (a.getState().paste !== undefined) return;
  const plan = planPaste(text);
  if (plan.kind === 'ask') {
    a.dispatch({ type: 'paste/offer', text });
    return;
  }
  plan.parts.forEach((part, i) => {
    if (part !== '') a.dispatch({ type: 'input/insert', text: part });
    if (i < plan.parts.length - 1) enter(a);
  });
}

export function useKeys(): void {
  const { setRawMode, internal_eventEmitter: input } = useStdin();
  const actions = useChatActions();
  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);
  useEffect(() => {
    const decoder = new KeyDecoder((e: KeyEvent) => {
      if (e.kind === 'paste') onPaste(actions, e.text);
      else carryOut(actions, bindKey(e.key, actions.getState()));
    });
    // Ink's reader hands over each read (an escape sequence on its own, the rest as text).
    const onInput = (chunk: string): void => decoder.write(chunk);
    input.on('input', onInput);
    return () => {
      input.off('input', onInput);
      decoder.close();
    };
  }, [input, actions]);
}
