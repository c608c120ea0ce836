/**
 * Colour, or none (`NO_COLOR`, https://no-color.org). Components ask the
 * palette for every colour; without colour they still use bold, dim and
 * inverse, which NO_COLOR leaves alone, so mentions and states stay visible.
 */
import { createContext, useContext } from 'react';
import { nickColor } from './format.js';

/** The colours the UI uses (Ink colour names). */
export type ColorName = 'green' | 'yellow' | 'red' | 'cyan' | 'black';

export interface Palette {
  readonly enabled: boolean;
  /** The colour to pass to Ink, or undefined without colour. */
  color(name: ColorName): ColorName | undefined;
  /** A nick's own colour (stable per nick), or undefined without colour. */
  nick(nick: string): string | undefined;
}

export function makePalette(enabled: boolean): Palette {
  return {
    enabled,
    color: (name) => (enabled ? name : undefined),
    nick: (nick) => (enabled ? nickColor(nick) : undefined),
  };
}

/** True unless NO_COLOR is set to a non-empty value. */
export function colorAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR === undefined || env.NO_COLOR === '';
}

export const PaletteContext = createContext<Palette>(makePalette(true));

export function usePalette(): Palette {
  return useContext(PaletteContext);
}
