import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { assertJsonDepth } from './json-depth';

/** express.json options we use (limit and accepted types). */
export interface JsonBodyOptions {
  readonly limit: string;
  readonly type?: readonly string[];
}

/** The shape of express.json()'s handler, so routes keep their own parameter typing. */
export type JsonBodyHandler = ReturnType<typeof express.json>;

/**
 * express.json() followed by the nesting bound of src/http/json-depth.ts: every JSON body the app
 * parses goes through here, so a deeply nested body is a 400 naming its path before any handler
 * (or a JSON.stringify of it) recurses into it.
 */
export function jsonBody(options: JsonBodyOptions): JsonBodyHandler {
  const parse = express.json({ limit: options.limit, ...(options.type !== undefined ? { type: [...options.type] } : {}) });
  return (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
    parse(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) {
        next(err);
        return;
      }
      try {
        assertJsonDepth((req as IncomingMessage & { body?: unknown }).body, 'body');
        next();
      } catch (depthErr) {
        next(depthErr);
      }
    });
  };
}
