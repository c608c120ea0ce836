import { ProtocolError } from '../../protocol/index.js';

/** 405 that knows its `Allow` header (the router's error handler sends it). */
export class MethodNotAllowed extends ProtocolError {
  readonly allow: string;
  /** @param allow the methods the path takes, e.g. `GET, POST`. */
  constructor(allow: string) {
    super('method_not_allowed', `allowed methods: ${allow}`);
    this.allow = allow;
  }
}

export function methodNotAllowed(allow: string): ProtocolError {
  return new MethodNotAllowed(allow);
}
