import type { Request, Response } from 'express';

/**
 * Ends a response with a body, or only its headers for HEAD (Communication 1.1). Node drops HEAD
 * bodies by itself, but not when the alternate request syntax turned a POST into a HEAD.
 */
export function sendBody(req: Request, res: Response, status: number, contentType: string, body: Buffer): void {
  res.status(status);
  res.setHeader('Content-Type', contentType);
  // Content-Length may be left out for HEAD (1.1), and must be: a HEAD carried by an alternate
  // syntax POST travels as a POST response, whose length would then be wrong.
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.setHeader('Content-Length', String(body.length));
  res.end(body);
}

/** A JSON body (id lists, Activity and Person objects). */
export function sendJson(req: Request, res: Response, value: unknown): void {
  sendBody(req, res, 200, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Wraps an async handler so a rejection reaches the error middleware. */
export function handle(fn: (req: Request, res: Response) => Promise<void>): (req: Request, res: Response, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    fn(req, res).catch(next);
  };
}
