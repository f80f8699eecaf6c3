import { isDuration, isIri, isLanguageTag, isUuid, parseTimestamp, timestampToUtc, truncateDuration } from '../../../src/xapi/validate/primitives';

describe('isIri', () => {
  test.each(['http://example.com', 'https://example.com/a?b=c#d', 'urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0', 'mailto:a@b.c', 'tag:example.com,2024:x', 'http://例え.jp/パス'])(
    'accepts %s',
    (v) => expect(isIri(v)).toBe(true),
  );
  test.each(['', 'abc', 'example.com/x', '://x', '1http://x', 'ab=c://should.fail.com', 'http://a b', 'http:', 'http://x/<y>', 5, null])('rejects %p', (v) =>
    expect(isIri(v)).toBe(false),
  );
});

describe('isUuid', () => {
  test.each(['fd41c918-b88b-4b20-a0a5-a4c32391aaa0', 'FD41C918-B88B-4B20-A0A5-A4C32391AAA0', '00000000-0000-0000-0000-000000000000', 'fd41c918-b88b-1b20-c0a5-a4c32391aaa0'])(
    'accepts %s',
    (v) => expect(isUuid(v)).toBe(true),
  );
  test.each(['', 'fd41c918b88b4b20a0a5a4c32391aaa0', '{fd41c918-b88b-4b20-a0a5-a4c32391aaa0}', 'AA97B177-9383-4934-8543-0F91A7A028368', 'MA97B177-9383-4934-8543-0F91A7A02836', 1])(
    'rejects %p',
    (v) => expect(isUuid(v)).toBe(false),
  );
});

describe('isLanguageTag', () => {
  test.each(['en', 'en-US', 'EN-us', 'de-CH-1901', 'zh-cmn-Hans-CN', 'x-whatever', 'i-enochian', 'es-419', 'sl-rozaj-biske', 'en-a-bbb-x-a-ccc', 'und', 'haw'])(
    'accepts %s',
    (v) => expect(isLanguageTag(v)).toBe(true),
  );
  test.each(['', 'de-419-DE', 'a-DE', 'ar-a-aaa-b-bbb-a-ccc', 'a12345', 'en_US', 'en-', '-en', 'de-1901-1901', 'toolongtag', 'en US'])('rejects %p', (v) =>
    expect(isLanguageTag(v)).toBe(false),
  );
});

describe('parseTimestamp / timestampToUtc', () => {
  test.each([
    ['2013-05-18T05:32:34.804Z', '2013-05-18T05:32:34.804Z'],
    ['2013-05-18T05:32:34.804+02:00', '2013-05-18T03:32:34.804Z'],
    ['2013-05-18T05:32:34.804123456-05:30', '2013-05-18T11:02:34.804123456Z'],
    ['2013-05-18T01:00:00+0200', '2013-05-17T23:00:00Z'],
    ['2013-05-18T23:30:00-01', '2013-05-19T00:30:00Z'],
    ['2012-12-31T23:59:59.9-00:01', '2013-01-01T00:00:59.9Z'],
    ['2008-09-15 15:53:00.601+00:00', '2008-09-15T15:53:00.601Z'],
    ['20130518T053234Z', '2013-05-18T05:32:34Z'],
    ['20130518T053234,5+0100', '2013-05-18T04:32:34.5Z'],
    ['2013-05-18T05:32Z', '2013-05-18T05:32:00Z'],
    ['2013-05-18T05:32:34', '2013-05-18T05:32:34Z'],
    ['2016-02-29T12:00:00+13:00', '2016-02-28T23:00:00Z'],
    ['0050-01-01T00:00:00Z', '0050-01-01T00:00:00Z'],
  ])('%s -> %s', (input, utc) => {
    const ts = parseTimestamp(input);
    expect(ts).toBeDefined();
    if (ts) expect(timestampToUtc(ts)).toBe(utc);
  });
  test.each(['2013-05-18', '2013-02-29T00:00:00Z', '2013-05-18T05:32:34.804-00:00', '2013-05-18T05:32:34-00', '2013-05-18T05:32:34-0000', '2013-05-18T24:00:00Z',
    '2013-05-18T05:32:61Z', '2013-05-18T05:32:34+24:00', '2013-5-18T05:32:34Z', '18.05.2013', 'T05:32:34Z', '2013-05-18T05:32:34.Z'])('rejects %s', (v) =>
    expect(parseTimestamp(v)).toBeUndefined(),
  );
  test('keeps the offset and fraction', () => {
    expect(parseTimestamp('2013-05-18T05:32:34.8040+01:30')).toEqual({ year: 2013, month: 5, day: 18, hour: 5, minute: 32, second: 34, fraction: '8040', offsetMinutes: 90 });
    expect(parseTimestamp('2013-05-18T05:32:34')?.offsetMinutes).toBeUndefined();
  });
});

describe('durations', () => {
  test.each(['PT1H0M0S', 'P1Y2M3DT4H5M6.7S', 'P4W', 'P1.5W', 'PT0.5H', 'P1D', 'PT36H', 'P0D', 'PT1,25S'])('accepts %s', (v) => expect(isDuration(v)).toBe(true));
  test.each(['', 'P', 'PT', 'P1DT', 'P4W1D', 'PT1S1H', 'P1M1Y', 'PT1.5H1M', '1H', 'P-1D', 'P1H', 'PT1D', 'P1DT2H3M4S5', 'PT1HT2M', 5])('rejects %p', (v) =>
    expect(isDuration(v)).toBe(false),
  );
  test.each([
    ['PT1.2369S', 'PT1.23S'],
    ['PT1.2399S', 'PT1.23S'],
    ['PT1.99999S', 'PT1.99S'],
    ['P1DT2H3M4.5678S', 'P1DT2H3M4.56S'],
    ['PT4H35M59.14S', 'PT4H35M59.14S'],
    ['PT1.2S', 'PT1.2S'],
    ['PT10S', 'PT10S'],
    ['PT0.5H', 'PT0.5H'],
    ['P1.12345W', 'P1.12345W'],
    ['PT1,2369S', 'PT1,23S'],
    ['not a duration', 'not a duration'],
  ])('truncateDuration(%s) = %s', (input, out) => expect(truncateDuration(input)).toBe(out));
});
