import { parseExportRow } from '../../../shared/core/export/parseExportRow';

// NOTE: the text after 'invalid JSON: ' is V8's, whose wording changes between Node majors; the tests
// pin our prefix and the row's fate, not V8's sentence.
const INVALID_JSON = /^invalid JSON: \S/;

/** The document of a line that must parse, for assertions on one of its parts. */
function documentOf(line: string): Record<string, unknown> {
  const parsed = parseExportRow(line);
  if (parsed?.ok !== true) throw new Error(`expected a row, got ${JSON.stringify(parsed)}`);
  return parsed.value;
}

describe('parseExportRow', () => {
  it('reads a one-line JSON object into a document', () => {
    // Arrange
    const line = '{"request":[{"name":"GET /checkout","responseCode":500}],"context":{"data":{"isSynthetic":false}}}';

    // Act
    const parsed = parseExportRow(line);

    // Assert
    expect(parsed).toEqual({
      ok: true,
      value: { request: [{ name: 'GET /checkout', responseCode: 500 }], context: { data: { isSynthetic: false } } },
    });
  });

  it('reads an empty object as a row, not as a blank line', () => {
    expect(parseExportRow('{}')).toEqual({ ok: true, value: {} });
  });

  describe('blank lines', () => {
    it.each([
      ['an empty line', ''],
      ['a space', ' '],
      ['a tab', '\t'],
      ['a carriage return', '\r'],
      ['a vertical tab', '\v'],
      ['a form feed', '\f'],
      ['mixed ASCII whitespace', ' \t \r\f\v '],
      ['ASCII whitespace followed by a no-break space', ' \u00a0'],
      ['ASCII whitespace followed by a BOM and an ideographic space', '\t\ufeff\u3000'],
    ])('skips %s as no row at all', (_what, line) => {
      expect(parseExportRow(line)).toBeUndefined();
    });

    // The line splitter's isBlank mirrors this exactly (see candidateLineSplitter.ts), so the prefilter
    // and the parser count the same rows: a line that starts with non-ASCII whitespace is a row.
    it.each([
      ['a no-break space', '\u00a0'],
      ['a BOM', '\ufeff'],
      ['an ideographic space', '\u3000'],
      ['a no-break space followed by ASCII spaces', '\u00a0  '],
    ])('reports a line of only %s as a malformed row, not a blank one', (_what, line) => {
      expect(parseExportRow(line)).toEqual({ ok: false, error: expect.stringMatching(INVALID_JSON) });
    });
  });

  describe('whitespace and BOM around a row', () => {
    it.each([
      ['leading spaces', '   {"a":1}'],
      ['trailing spaces', '{"a":1}   '],
      ['a trailing carriage return', '{"a":1}\r'],
      ['tabs on both sides', '\t{"a":1}\t'],
      ['whitespace inside the object', '{ "a" : 1 }'],
    ])('reads a row with %s', (_what, line) => {
      expect(parseExportRow(line)).toEqual({ ok: true, value: { a: 1 } });
    });

    it('reports a row behind a BOM as malformed: only the line splitter strips a BOM, and only at line 1', () => {
      expect(parseExportRow('\ufeff{"a":1}')).toEqual({ ok: false, error: expect.stringMatching(INVALID_JSON) });
    });

    it('reports a row behind a vertical tab as malformed, since JSON does not count it as whitespace', () => {
      expect(parseExportRow('\v{"a":1}')).toEqual({ ok: false, error: expect.stringMatching(INVALID_JSON) });
    });
  });

  describe('malformed JSON', () => {
    it.each([
      ['a row cut short', '{"request":[{"name":"GET /"'],
      ['a missing closing brace', '{"a":1'],
      ['two rows on one line', '{"a":1}{"b":2}'],
      ['a trailing comma', '{"a":1,}'],
      ['unquoted keys', '{a:1}'],
      ['single quotes', "{'a':1}"],
      ['a raw control character in a string', '{"a":"x\u0001y"}'],
      ['a leading zero', '{"a":01}'],
      ['NaN', '{"a":NaN}'],
      ['a bare word', 'garbage'],
      ['a line break alone', '\n'],
    ])('reports %s as invalid JSON', (_what, line) => {
      expect(parseExportRow(line)).toEqual({ ok: false, error: expect.stringMatching(INVALID_JSON) });
    });

    it('reports a megabyte-long malformed line with a reason of at most 114 characters', () => {
      // Arrange: problems are logged, and a log line must not carry a whole telemetry document.
      const line = `x${JSON.stringify({ message: 'secret '.repeat(150_000) })}`;

      // Act
      const parsed = parseExportRow(line);

      // Assert
      expect(parsed).toEqual({ ok: false, error: expect.stringMatching(/^invalid JSON: [^]{1,100}$/) });
    });
  });

  describe('valid JSON that is not an object', () => {
    it.each([
      ['null', 'null', 'expected a JSON object, found null'],
      ['null between spaces', ' null ', 'expected a JSON object, found null'],
      ['an array of rows', '[{"a":1}]', 'expected a JSON object, found an array'],
      ['an empty array', '[]', 'expected a JSON object, found an array'],
      ['an integer', '42', 'expected a JSON object, found number'],
      ['a negative exponent number', '-0.5e3', 'expected a JSON object, found number'],
      ['a string holding a row', '"{\\"a\\":1}"', 'expected a JSON object, found string'],
      ['true', 'true', 'expected a JSON object, found boolean'],
      ['false', 'false', 'expected a JSON object, found boolean'],
    ])('reports %s as a malformed row with the type it found', (_what, line, error) => {
      expect(parseExportRow(line)).toEqual({ ok: false, error });
    });
  });

  describe('huge and unusual values', () => {
    it('reads a row with a one-megabyte string value whole', () => {
      // Arrange
      const message = 'x'.repeat(1_048_576);

      // Act
      const document = documentOf(`{"message":"${message}"}`);

      // Assert
      expect(document).toEqual({ message });
      expect(message).toHaveLength(1_048_576);
    });

    it('reads a row with 10,000 keys', () => {
      // Arrange
      const line = `{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`;

      // Act
      const document = documentOf(line);

      // Assert
      expect(Object.keys(document)).toHaveLength(10_000);
      expect(document).toMatchObject({ k0: 0, k5000: 5000, k9999: 9999 });
    });

    it('reads a row nested 100,000 arrays deep without overflowing the stack', () => {
      // Arrange
      const line = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

      // Act
      const parsed = parseExportRow(line);

      // Assert
      expect(parsed?.ok).toBe(true);
    });

    it.each([
      ['a number past the double range as Infinity', '{"n":1e400}', Infinity],
      ['a number below the smallest double as 0', '{"n":1e-400}', 0],
      ['an integer past 2^53 rounded to the nearest double', '{"n":12345678901234567890}', 12345678901234567000],
      ['negative zero as -0', '{"n":-0}', -0],
    ])('keeps the row and reads %s', (_what, line, n) => {
      expect(parseExportRow(line)).toEqual({ ok: true, value: { n } });
    });

    it('keeps the last of duplicate keys, as JSON.parse does', () => {
      expect(parseExportRow('{"a":1,"a":2}')).toEqual({ ok: true, value: { a: 2 } });
    });

    it('reads escaped and unpaired surrogates without failing the row', () => {
      expect(parseExportRow('{"s":"\\ud83d\\ude00 \\ud800","t":"ünïcødé 🙂"}')).toEqual({
        ok: true,
        value: { s: '\ud83d\ude00 \ud800', t: 'ünïcødé 🙂' },
      });
    });

    it('reads a __proto__ key as an own property and never touches Object.prototype', () => {
      // Act
      const document = documentOf('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');

      // Assert
      expect(Object.prototype.hasOwnProperty.call(document, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(document)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});

describe('parseExportRow keeps telemetry out of its reason', () => {
  it('drops the slice of the row that V8 quotes in its message', () => {
    // Act
    const parsed = parseExportRow('x{"password":"hunter2","tenant":"acme"}');

    // Assert
    expect(parsed).toEqual({ ok: false, error: "invalid JSON: Unexpected token 'x'" });
  });
});
