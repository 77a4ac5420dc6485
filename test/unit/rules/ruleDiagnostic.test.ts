import { formatRuleDiagnostic, ruleDiagnosticAt } from '../../../shared/core/rules/ruleDiagnostic';

describe('ruleDiagnosticAt', () => {
  it('places an offset on the first line', () => {
    expect(ruleDiagnosticAt('requests | where x', 17, 1, 'm', 'KS142')).toEqual({
      line: 1,
      column: 18,
      length: 1,
      text: 'x',
      message: 'm',
      code: 'KS142',
    });
  });

  it('counts lines after each newline, including \\r\\n endings', () => {
    expect(ruleDiagnosticAt('requests\r\n| where\n  foo', 20, 3, 'm')).toEqual({
      line: 3,
      column: 3,
      length: 3,
      text: 'foo',
      message: 'm',
    });
  });

  it('places a problem at offset 0 on line 1 even when the text starts with a newline', () => {
    expect(ruleDiagnosticAt('\nrequests', 0, 0, 'm')).toMatchObject({ line: 1, column: 1 });
  });

  it('places a zero-length problem at the end of the text', () => {
    expect(ruleDiagnosticAt('a\nb', 3, 0, 'm')).toMatchObject({ line: 2, column: 2, length: 0, text: '' });
  });

  it('clamps a range that runs past the text', () => {
    expect(ruleDiagnosticAt('abc', 2, 10, 'm')).toMatchObject({ column: 3, length: 1, text: 'c' });
  });
});

describe('formatRuleDiagnostic', () => {
  it('reads as line, column and message', () => {
    const diagnostic = ruleDiagnosticAt(
      'requests | where toint(resultCode) >= 500 or resultcode == "x"',
      45,
      10,
      "unknown column 'resultcode' for table requests (did you mean 'resultCode'?)",
    );

    expect(formatRuleDiagnostic(diagnostic)).toBe(
      "line 1, col 46: unknown column 'resultcode' for table requests (did you mean 'resultCode'?)",
    );
  });
});
