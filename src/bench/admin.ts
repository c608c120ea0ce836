/** The IPC admin hook of a bench server child: `{cmd:'gc'|'mem', id}` → memory figures. */
import { isRecord } from '../protocol/validate.js';

export interface AdminReply {
  id: number;
  mem: NodeJS.MemoryUsage;
  gc: boolean;
}

export function answerAdmin(): void {
  if (!process.send) return;
  process.on('message', (msg: unknown) => {
    if (!isRecord(msg) || typeof msg.id !== 'number') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    const collect = msg.cmd === 'gc' && typeof gc === 'function';
    if (collect) {
      // Twice: the first pass may only queue finalizers that free more on the second.
      gc();
      gc();
    }
    if (msg.cmd === 'gc' || msg.cmd === 'mem') {
      const reply: AdminReply = { id: msg.id, mem: process.memoryUsage(), gc: collect };
      process.send?.(reply);
    }
  });
  // The runner going away must not leave an orphan server behind.
  process.on('disconnect', () => process.exit(0));
}
