import { loadConfig } from '../../../src/config';

describe('file store and content origin configuration', () => {
  it('defaults to a folder store and the port after the app\'s for content', () => {
    const c = loadConfig({});
    expect(c.fileStore).toBe('folder');
    expect(c.contentPort).toBe(8081);
    expect(c.contentUrl).toBe('http://127.0.0.1:8081');
    expect(loadConfig({ PORT: '9000' }).contentUrl).toBe('http://127.0.0.1:9001');
    expect(loadConfig({ PORT: '0' }).contentPort).toBe(0);
    expect(loadConfig({ LEARNHQ_CONTENT_URL: 'https://content.example.org/' }).contentUrl).toBe('https://content.example.org');
  });

  it('refuses bad values naming the variable', () => {
    expect(() => loadConfig({ LEARNHQ_FILE_STORE: 'disk' })).toThrow(/LEARNHQ_FILE_STORE/);
    expect(() => loadConfig({ LEARNHQ_FILE_STORE: 'gridfs' })).toThrow(/LEARNHQ_FILE_STORE.*mongodb/);
    expect(loadConfig({ LEARNHQ_FILE_STORE: 'gridfs', LEARNHQ_DB: 'mongodb://db.example/x' }).fileStore).toBe('gridfs');
    expect(() => loadConfig({ LEARNHQ_CONTENT_PORT: '8080' })).toThrow(/LEARNHQ_CONTENT_PORT/);
    expect(() => loadConfig({ LEARNHQ_CONTENT_URL: 'http://localhost:8080/content' })).toThrow(/LEARNHQ_CONTENT_URL.*origin/);
    expect(() => loadConfig({ LEARNHQ_CONTENT_URL: 'not a url' })).toThrow(/LEARNHQ_CONTENT_URL/);
  });
});
