import { Router } from 'express';
import { SUPPORTED_VERSIONS, VERSION_HEADER } from './http/version';

/** GET/HEAD /about: open to everyone, no version header required (xAPI Communication 2.2). */
export function aboutRouter(): Router {
  const router = Router();
  router.get('/about', (_req, res) => {
    res.setHeader(VERSION_HEADER, SUPPORTED_VERSIONS[0]!);
    res.json({
      version: [...SUPPORTED_VERSIONS],
      extensions: { 'https://learnhq.org/xapi/about/product': { name: 'LearnHQ', version: '0.1.0' } },
    });
  });
  return router;
}
