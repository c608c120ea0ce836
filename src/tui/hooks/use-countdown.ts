/**
 * Whole seconds left until a wall-clock time, ticking while it is ahead: the
 * reconnect countdown of the status bar.
 */
import { useEffect, useState } from 'react';

function secondsLeft(at: number): number {
  return Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * @param at wall-clock ms to count down to; undefined for no countdown.
 * @param tickMs how often to re-read the clock, default 250 ms (keeps the
 *   displayed second within a quarter second of the truth).
 */
export function useCountdown(at: number | undefined, tickMs = 250): number | undefined {
  const [left, setLeft] = useState(() => (at === undefined ? undefined : secondsLeft(at)));
  useEffect(() => {
    if (at === undefined) {
      setLeft(undefined);
      return;
    }
    setLeft(secondsLeft(at));
    const timer = setInterval(() => {
      const s = secondsLeft(at);
      setLeft(s);
      if (s === 0) clearInterval(timer);
    }, tickMs);
    return () => clearInterval(timer);
  }, [at, tickMs]);
  return left;
}
